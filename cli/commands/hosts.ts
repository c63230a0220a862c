import fs from "node:fs";
import { defineCommand } from "../lib/command";
import type { CliEnv } from "../lib/env";
import { CliError, UsageError } from "../lib/errors";
import { formatJson } from "../lib/output";
import { confirm } from "../lib/prompt";
import { parseShorthand, pickKeys } from "../lib/shorthand";
import type { Outputs } from "../lib/types";

type Host = Outputs["hosts"]["get"];

/** A host as GetOnPremisesInstance's instanceInfo, plus what SSH needs (never the key). */
function instanceInfo(h: Host) {
  return {
    instanceName: h.name,
    registerTime: h.createdAt,
    tags: h.tags,
    address: h.address,
    port: h.port,
    user: h.username,
    agentRoot: h.agentRoot,
    ...(h.fingerprint ? { hostKeyFingerprint: h.fingerprint } : {}),
    status: h.lastStatus,
    ...(h.lastSeenAt ? { lastSeenTime: h.lastSeenAt } : {}),
    ...(h.lastError ? { lastError: h.lastError } : {}),
  };
}

export function parseTags(values: string[] | undefined): { Key: string; Value: string }[] | undefined {
  return values?.map((text) => {
    const t = pickKeys("tags", parseShorthand("tags", text), ["Key", "Value"] as const);
    if (!t.Key) throw new UsageError(`Error parsing parameter '--tags': missing required key 'Key' in '${text}'`);
    return { Key: t.Key, Value: t.Value ?? "" };
  });
}

function readIdentityFile(path: string): string {
  try {
    return fs.readFileSync(path, "utf8");
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(`Error parsing parameter '--identity-file': Unable to read ${path}: ${e.code ?? e.message}`);
  }
}

/** Belt and braces: whatever an error says, it must not carry the key's text to the terminal. */
async function withoutSecret<T>(secret: string, env: CliEnv, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const { toCliError } = await import("../lib/client");
    const known = err instanceof CliError ? err : (toCliError(err, env.endpoint) ?? err);
    if (known instanceof Error) {
      const lines = secret.split("\n").map((l) => l.trim()).filter((l) => l.length >= 16);
      if (lines.some((l) => known.message.includes(l))) known.message = "The server's error message quoted the private key; it is not shown.";
    }
    throw known;
  }
}

export const registerHost = defineCommand({
  name: "register-host",
  operation: "RegisterOnPremisesInstance",
  summary: "Register a host reachable over SSH (CodeDeploy's on-premises instance).",
  options: {
    name: { type: "string", required: true, description: "Host name, unique; deployment targets are named after it." },
    address: { type: "string", required: true, description: "Host name or IP address to connect to." },
    port: { type: "string", placeholder: "port", description: "SSH port (default 22)." },
    user: { type: "string", description: "SSH user (default root)." },
    "identity-file": { type: "string", required: true, placeholder: "path", description: "Private key file (unencrypted); sent to the server, which stores it encrypted." },
    "agent-root": { type: "string", placeholder: "path", description: "Where Slipway keeps revisions on the host (default /opt/slipway)." },
    tags: { type: "string", multiple: true, placeholder: "Key=k,Value=v", description: "Tags that deployment groups select hosts by." },
    fingerprint: { type: "string", placeholder: "SHA256:...", description: "Trust this host key (as `ssh-keygen -lf` prints it) without connecting first." },
    trust: { type: "boolean", description: "Without --fingerprint: trust whatever key the host presents now, without asking." },
  },
  async run(o, env) {
    const privateKey = readIdentityFile(o["identity-file"]!);
    const port = o.port === undefined ? undefined : Number(o.port);
    if (port !== undefined && !Number.isInteger(port)) throw new UsageError(`argument --port: invalid integer value: '${o.port}'`);
    const api = await env.api();
    let host = await withoutSecret(privateKey, env, () =>
      api.hosts.register.mutate({
        name: o.name!,
        address: o.address!,
        ...(port !== undefined ? { port } : {}),
        ...(o.user ? { username: o.user } : {}),
        privateKey,
        ...(o["agent-root"] ? { agentRoot: o["agent-root"] } : {}),
        tags: parseTags(o.tags),
        ...(o.fingerprint ? { fingerprint: o.fingerprint } : {}),
      }),
    );
    if (!o.fingerprint) host = await trustOnFirstUse(host, o.trust === true, env);
    env.out(formatJson({ instanceInfo: instanceInfo(host) }));
  },
});

/** ssh's first-connection question: show the key the host presents and let the operator decide. */
async function trustOnFirstUse(host: Host, trust: boolean, env: CliEnv): Promise<Host> {
  const api = await env.api();
  const test = await api.hosts.testConnection.mutate({ name: host.name });
  const later = `Run \`slipway trust-host --name ${host.name} --fingerprint SHA256:...\` to trust it.`;
  if (!test.fingerprint) {
    env.err(`Registered ${host.name}, but could not read its host key: ${test.message}\nIt stays untrusted; deployments skip it. ${later}`);
    if (trust) throw new CliError(`Could not trust ${host.name}: it did not present a host key.`);
    return host;
  }
  env.err(`The host ${host.name} (${host.address}:${host.port}) presented the host key ${test.fingerprint}.`);
  const yes = trust || (env.stdin.isTTY === true && (await confirm("Trust this host key?")));
  if (!yes) {
    env.err(
      env.stdin.isTTY
        ? `Left ${host.name} untrusted. ${later}`
        : `Left ${host.name} untrusted (no terminal to ask on; pass --trust or --fingerprint). ${later}`,
    );
    return api.hosts.get.query({ name: host.name });
  }
  return api.hosts.trust.mutate({ name: host.name, fingerprint: test.fingerprint });
}

export const listHosts = defineCommand({
  name: "list-hosts",
  operation: "BatchGetOnPremisesInstances",
  summary: "List registered hosts with their tags, trusted key and last status.",
  options: {},
  async run(_o, env) {
    const hosts = await (await env.api()).hosts.list.query();
    env.out(formatJson({ instanceInfos: hosts.map(instanceInfo) }));
  },
});

export const getHost = defineCommand({
  name: "get-host",
  operation: "GetOnPremisesInstance",
  summary: "Show one host.",
  options: { name: { type: "string", required: true, description: "Host name." } },
  async run(o, env) {
    const host = await (await env.api()).hosts.get.query({ name: o.name! });
    env.out(formatJson({ instanceInfo: instanceInfo(host) }));
  },
});

export const trustHost = defineCommand({
  name: "trust-host",
  operation: "TrustHostKey",
  summary: "Trust a host's SSH host key (check it with `ssh-keygen -lf` on the host first).",
  options: {
    name: { type: "string", required: true, description: "Host name." },
    fingerprint: { type: "string", required: true, placeholder: "SHA256:...", description: "The host key's SHA256 fingerprint." },
  },
  async run(o, env) {
    const host = await (await env.api()).hosts.trust.mutate({ name: o.name!, fingerprint: o.fingerprint! });
    env.out(formatJson({ instanceInfo: instanceInfo(host) }));
  },
});

export const deregisterHost = defineCommand({
  name: "deregister-host",
  operation: "DeregisterOnPremisesInstance",
  summary: "Remove a host (its stored key goes with it).",
  options: { name: { type: "string", required: true, description: "Host name." } },
  async run(o, env) {
    await (await env.api()).hosts.remove.mutate({ name: o.name! });
  },
});
