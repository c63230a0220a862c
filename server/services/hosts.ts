import { eq } from "drizzle-orm";
import ssh2 from "ssh2";
import { hosts, type Tag } from "../../drizzle/schema";
import type { AppContext } from "../context";
import { connectHost, FINGERPRINT_PATTERN, HostConnectError, hostAccess } from "../host/connection";
import { conflict, invalid, notFound } from "./errors";

/** What the API shows of a host: never the key. */
export type HostView = Omit<typeof hosts.$inferSelect, "privateKeyEnc" | "hostKeyFingerprint"> & {
  fingerprint: string | null;
};
const view = ({ privateKeyEnc: _key, hostKeyFingerprint, ...h }: typeof hosts.$inferSelect): HostView => ({
  ...h,
  fingerprint: hostKeyFingerprint,
});

export type RegisterHostInput = {
  name: string;
  address: string;
  port: number;
  username: string;
  privateKey: string;
  agentRoot?: string;
  tags?: Tag[];
  fingerprint?: string;
};

/** Checks the key parses as an unencrypted private key; the message never includes the key. */
function checkPrivateKey(privateKey: string) {
  const parsed = ssh2.utils.parseKey(privateKey);
  if (parsed instanceof Error) {
    const encrypted = /encrypted|passphrase/i.test(parsed.message);
    throw invalid(
      "InvalidPrivateKeyException",
      encrypted
        ? "The private key is protected by a passphrase; Slipway needs an unencrypted key (it is stored encrypted at rest)."
        : `The private key cannot be read: ${parsed.message}. Paste an OpenSSH or PEM private key.`,
      "privateKey",
    );
  }
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key?.isPrivateKey()) throw invalid("InvalidPrivateKeyException", "That is a public key; paste the private key.", "privateKey");
}

export async function listHosts(ctx: AppContext): Promise<HostView[]> {
  return (await ctx.db.select().from(hosts).orderBy(hosts.name)).map(view);
}

async function hostRow(ctx: AppContext, name: string) {
  const [row] = await ctx.db.select().from(hosts).where(eq(hosts.name, name));
  if (!row) throw notFound("InstanceNotRegisteredException", `No host named "${name}" is registered.`);
  return row;
}

export async function getHost(ctx: AppContext, name: string): Promise<HostView> {
  return view(await hostRow(ctx, name));
}

export async function registerHost(ctx: AppContext, input: RegisterHostInput): Promise<HostView> {
  checkPrivateKey(input.privateKey);
  const [existing] = await ctx.db.select({ id: hosts.id }).from(hosts).where(eq(hosts.name, input.name));
  if (existing) throw conflict("InstanceNameAlreadyRegisteredException", `A host named "${input.name}" is already registered.`, "name");
  const [row] = await ctx.db
    .insert(hosts)
    .values({
      name: input.name,
      address: input.address,
      port: input.port,
      username: input.username,
      privateKeyEnc: ctx.secrets.seal(input.privateKey),
      agentRoot: input.agentRoot || "/opt/slipway",
      tags: input.tags ?? [],
      hostKeyFingerprint: input.fingerprint ?? null,
      lastStatus: input.fingerprint ? "Unknown" : "Untrusted",
    })
    .returning();
  return view(row);
}

export type UpdateHostInput = Partial<Omit<RegisterHostInput, "fingerprint">> & { name: string; newName?: string };

export async function updateHost(ctx: AppContext, input: UpdateHostInput): Promise<HostView> {
  const row = await hostRow(ctx, input.name);
  if (input.privateKey) checkPrivateKey(input.privateKey);
  const moved = (input.address && input.address !== row.address) || (input.port && input.port !== row.port);
  const [updated] = await ctx.db
    .update(hosts)
    .set({
      ...(input.newName ? { name: input.newName } : {}),
      ...(input.address ? { address: input.address } : {}),
      ...(input.port ? { port: input.port } : {}),
      ...(input.username ? { username: input.username } : {}),
      ...(input.agentRoot ? { agentRoot: input.agentRoot } : {}),
      ...(input.tags ? { tags: input.tags } : {}),
      ...(input.privateKey ? { privateKeyEnc: ctx.secrets.seal(input.privateKey) } : {}),
      // A host at a new address is another machine until its key is trusted again.
      ...(moved ? { hostKeyFingerprint: null, lastStatus: "Untrusted" as const } : {}),
      updatedAt: new Date(),
    })
    .where(eq(hosts.id, row.id))
    .returning();
  return view(updated);
}

export async function removeHost(ctx: AppContext, name: string): Promise<void> {
  const row = await hostRow(ctx, name);
  await ctx.db.delete(hosts).where(eq(hosts.id, row.id));
}

export type TestConnectionResult = {
  fingerprint: string | null;
  pinned: string | null;
  matches: boolean;
  ok: boolean;
  message: string;
};

/**
 * "Test connection": connects whatever key the host presents, so the operator can see its
 * SHA256 fingerprint and trust it; a pinned key that changed is reported with both fingerprints.
 */
export async function testHostConnection(ctx: AppContext, name: string): Promise<TestConnectionResult> {
  const row = await hostRow(ctx, name);
  const access = hostAccess(row, ctx.secrets);
  const pinned = row.hostKeyFingerprint;
  try {
    const conn = await connectHost(access, { acceptAnyHostKey: true });
    const r = await conn.run("uname -sr; id -un").finally(() => conn.close());
    const matches = pinned === conn.fingerprint;
    const status = !pinned ? "Untrusted" : matches ? "Online" : "HostKeyMismatch";
    const message = !pinned
      ? `Connected. The host presented ${conn.fingerprint}; trust it to deploy to this host.`
      : matches
        ? `Connected as ${r.stdout.split("\n")[1] || row.username} (${r.stdout.split("\n")[0]}); the host key matches.`
        : `The host key has changed: Slipway trusts ${pinned} but the host presented ${conn.fingerprint}. Deployments are refused until you trust the new key.`;
    await ctx.db
      .update(hosts)
      .set({ lastStatus: status, lastError: matches ? null : message, ...(matches ? { lastSeenAt: new Date() } : {}) })
      .where(eq(hosts.id, row.id));
    return { fingerprint: conn.fingerprint, pinned, matches, ok: matches, message };
  } catch (err) {
    const message = (err as Error).message;
    const seen = err instanceof HostConnectError ? (err.seenFingerprint ?? null) : null;
    await ctx.db.update(hosts).set({ lastStatus: "Unreachable", lastError: message }).where(eq(hosts.id, row.id));
    return { fingerprint: seen, pinned, matches: false, ok: false, message };
  }
}

export async function trustHostKey(ctx: AppContext, name: string, fingerprint: string): Promise<HostView> {
  const row = await hostRow(ctx, name);
  if (!FINGERPRINT_PATTERN.test(fingerprint))
    throw invalid("InvalidFingerprintException", `"${fingerprint}" is not a SHA256 host key fingerprint (SHA256: and 43 base64 characters).`, "fingerprint");
  const [updated] = await ctx.db
    .update(hosts)
    .set({ hostKeyFingerprint: fingerprint, lastStatus: "Unknown", lastError: null, updatedAt: new Date() })
    .where(eq(hosts.id, row.id))
    .returning();
  return view(updated);
}
