import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** Seals secrets at rest (hosts' private keys) with AES-256-GCM. */
export type SecretBox = { seal(plain: string): string; open(sealed: string): string };

/**
 * The key comes from SLIPWAY_SECRET_KEY (any string; hashed to 32 bytes) or, unset, from
 * `<dataDir>/secret.key`, generated on first start with mode 0600.
 */
export function loadSecretBox(opts: { secretKey?: string; dataDir: string }): SecretBox {
  return createSecretBox(opts.secretKey ? opts.secretKey : readOrCreateKeyFile(path.join(opts.dataDir, "secret.key")));
}

export function createSecretBox(keyMaterial: string): SecretBox {
  const key = crypto.createHash("sha256").update(keyMaterial).digest();
  return {
    seal(plain) {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
      const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return ["v1", iv.toString("base64"), cipher.getAuthTag().toString("base64"), body.toString("base64")].join(":");
    },
    open(sealed) {
      const [v, iv, tag, body] = sealed.split(":");
      if (v !== "v1" || !iv || !tag || body === undefined) throw new Error("sealed secret has an unknown format");
      const decipher = crypto.createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64"));
      decipher.setAuthTag(Buffer.from(tag, "base64"));
      try {
        return Buffer.concat([decipher.update(Buffer.from(body, "base64")), decipher.final()]).toString("utf8");
      } catch {
        throw new Error("a stored secret cannot be decrypted: SLIPWAY_SECRET_KEY differs from the key it was sealed with");
      }
    },
  };
}

function readOrCreateKeyFile(file: string): string {
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const key = crypto.randomBytes(32).toString("base64");
  fs.writeFileSync(file, key + "\n", { mode: 0o600, flag: "wx" });
  return key;
}
