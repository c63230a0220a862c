import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // ssh2 has a native addon and, like the rest of the backend, never runs inside Next's bundle;
  // listing it keeps an accidental import from trying to bundle it.
  serverExternalPackages: ["ssh2", "@electric-sql/pglite", "postgres"],
  reactStrictMode: true,
  poweredByHeader: false,
  // `npm test` type-checks the whole project (server, CLI, tests) with tsc; repeating it inside
  // every console build only slows `npm start` down.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
