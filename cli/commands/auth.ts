import { defineCommand } from "../lib/command";
import { credentialsPath, readCredential, writeCredential } from "../lib/credentials";
import { UsageError } from "../lib/errors";
import { ask, readStdin } from "../lib/prompt";

export const login = defineCommand({
  name: "login",
  operation: "Login",
  summary: "Sign in and keep a token for this endpoint in ~/.config/slipway/credentials.json.",
  options: {
    username: { type: "string", required: true, description: "User name (the first account is admin)." },
    password: { type: "string", description: "Password. Prefer --password-stdin: arguments show up in `ps`." },
    "password-stdin": { type: "boolean", description: "Read the password from stdin." },
  },
  async run(o, env) {
    if (o.password !== undefined && o["password-stdin"]) throw new UsageError("--password and --password-stdin cannot be used together");
    let password = o.password;
    if (o["password-stdin"]) password = await readStdin(env.stdin);
    else if (password === undefined) {
      if (!env.stdin.isTTY) throw new UsageError("the following arguments are required: --password or --password-stdin");
      password = await ask("Password: ", { hidden: true });
    }
    const { createApi } = await import("../lib/client");
    const session = await createApi(env.endpoint, null).auth.login.mutate({ username: o.username!, password, client: "cli" });
    if (!session.token) throw new Error("The server did not return a token.");
    const file = writeCredential(
      env.endpoint,
      { token: session.token, username: session.username, expiresAt: session.expiresAt.toISOString() },
      env.processEnv,
    );
    env.out(`Signed in to ${env.endpoint} as ${session.username}; the token is saved in ${file} (expires ${session.expiresAt.toISOString()}).`);
  },
});

export const logout = defineCommand({
  name: "logout",
  operation: "Logout",
  summary: "Sign out: end the session on the server and forget the stored token.",
  options: {},
  async run(_o, env) {
    const stored = readCredential(env.endpoint, env.processEnv);
    if (stored || env.processEnv.SLIPWAY_TOKEN) await (await env.api()).auth.logout.mutate();
    if (stored) writeCredential(env.endpoint, null, env.processEnv);
    env.out(stored ? `Signed out of ${env.endpoint}; removed its token from ${credentialsPath(env.processEnv)}.` : `No stored token for ${env.endpoint}.`);
  },
});
