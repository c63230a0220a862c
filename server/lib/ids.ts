import crypto from "node:crypto";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** CodeDeploy-shaped deployment ids: "d-" and 9 upper-case alphanumerics. */
export function newDeploymentId(): string {
  const bytes = crypto.randomBytes(9);
  let id = "d-";
  for (const b of bytes) id += ALPHABET[b % ALPHABET.length];
  return id;
}

export const DEPLOYMENT_ID_PATTERN = /^d-[A-Z0-9]{9}$/;
