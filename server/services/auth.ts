import crypto from "node:crypto";
import { promisify } from "node:util";
import { and, eq, gt } from "drizzle-orm";
import { sessions, users } from "../../drizzle/schema";
import type { Db } from "../db/client";
import { DomainError } from "./errors";

const scrypt = promisify(crypto.scrypt) as (pw: string, salt: Buffer, len: number) => Promise<Buffer>;
const SESSION_DAYS = { console: 7, cli: 90 } as const;
export const SESSION_COOKIE = "slipway_session";

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await scrypt(password, salt, 32);
  return `scrypt:${salt.toString("base64")}:${key.toString("base64")}`;
}

async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, salt, key] = stored.split(":");
  if (scheme !== "scrypt" || !salt || !key) return false;
  const expected = Buffer.from(key, "base64");
  const actual = await scrypt(password, Buffer.from(salt, "base64"), expected.length);
  return crypto.timingSafeEqual(actual, expected);
}

const hashToken = (token: string) => crypto.createHash("sha256").update(token).digest("hex");

/**
 * First start: creates the admin account. Its password is SLIPWAY_ADMIN_PASSWORD or, unset, a
 * generated one that is returned so the caller can print it once.
 */
export async function ensureAdmin(db: Db, password?: string): Promise<{ created: boolean; generatedPassword?: string }> {
  const existing = await db.select({ id: users.id }).from(users).limit(1);
  if (existing.length) return { created: false };
  const generated = password ? undefined : crypto.randomBytes(12).toString("base64url");
  await db.insert(users).values({ username: "admin", passwordHash: await hashPassword(password ?? generated!) });
  return { created: true, generatedPassword: generated };
}

export async function login(db: Db, input: { username: string; password: string; kind: "console" | "cli" }) {
  const [user] = await db.select().from(users).where(eq(users.username, input.username));
  // Verify against a dummy hash for unknown users too, so timing does not tell which names exist.
  const ok = await verifyPassword(input.password, user?.passwordHash ?? "scrypt:AAAAAAAAAAAAAAAAAAAAAA==:AAAA");
  if (!user || !ok) throw new DomainError("UNAUTHORIZED", "InvalidCredentialsException", "Wrong username or password.");
  const token = crypto.randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + SESSION_DAYS[input.kind] * 86_400_000);
  await db.insert(sessions).values({ tokenHash: hashToken(token), userId: user.id, kind: input.kind, expiresAt });
  return { token, expiresAt, username: user.username };
}

export type SessionUser = { id: number; username: string };

export async function userForToken(db: Db, token: string | undefined | null): Promise<SessionUser | null> {
  if (!token) return null;
  const [row] = await db
    .select({ id: users.id, username: users.username })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, hashToken(token)), gt(sessions.expiresAt, new Date())));
  return row ?? null;
}

export async function logout(db: Db, token: string) {
  await db.delete(sessions).where(eq(sessions.tokenHash, hashToken(token)));
}

/** The session token of a request: `Authorization: Bearer` (CLI) or the session cookie (console). */
export function tokenFromHeaders(headers: { authorization?: string; cookie?: string }): string | null {
  const auth = headers.authorization;
  if (auth?.startsWith("Bearer ")) return auth.slice(7).trim() || null;
  for (const part of (headers.cookie ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === SESSION_COOKIE) return decodeURIComponent(v.join("="));
  }
  return null;
}
