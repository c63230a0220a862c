import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    // The server, CLI, scripts and tests are plain Node: no pages, so no Next page rules.
    files: ["server/**", "cli/**", "scripts/**", "test/**", "bench/**", "drizzle/**"],
    rules: { "@next/next/no-assign-module-variable": "off", "react-hooks/rules-of-hooks": "off" },
  },
  globalIgnores([".next/**", "node_modules/**", ".slipway/**", "tmp/**", "test-results/**", "playwright-report/**", "next-env.d.ts", "drizzle/migrations/**"]),
]);
