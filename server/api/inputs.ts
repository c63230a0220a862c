import { z } from "zod";
import { FINGERPRINT_PATTERN } from "../host/connection";
import { DEPLOYMENT_ID_PATTERN } from "../lib/ids";

/** Input schemas shared by routers (and the CLI's messages mirror them). */
export const Name = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} is required`)
    .max(100, `${what} must be at most 100 characters`)
    .regex(/^[A-Za-z0-9_.+@-]+$/, `${what} may contain letters, digits and _ . + @ - only`);

export const Tag = z.object({ Key: z.string().trim().min(1, "Tag key is required").max(128), Value: z.string().trim().max(256) });

export const TagFilter = z.object({
  Key: z.string().trim().max(128).optional(),
  Value: z.string().trim().max(256).optional(),
  Type: z.enum(["KEY_ONLY", "VALUE_ONLY", "KEY_AND_VALUE"]),
});

export const BundleType = z.enum(["zip", "tar", "tgz"], { message: "bundleType must be one of zip, tar, tgz" });

export const S3Location = z.object({
  bucket: z.string().trim().min(1, "bucket is required"),
  key: z.string().trim().min(1, "key is required"),
  bundleType: BundleType,
  version: z.string().optional(),
  eTag: z.string().optional(),
});

export const FileExistsBehavior = z.enum(["DISALLOW", "OVERWRITE", "RETAIN"]);

export const Fingerprint = z.string().trim().regex(FINGERPRINT_PATTERN, "A fingerprint looks like SHA256: followed by 43 base64 characters");

export const DeploymentId = z.string().trim().regex(DEPLOYMENT_ID_PATTERN, "A deployment id looks like d-XXXXXXXXX");

export const AutoRollbackConfiguration = z.object({
  enabled: z.boolean(),
  events: z.array(z.enum(["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM", "DEPLOYMENT_STOP_ON_REQUEST"])).max(3),
});

export const AlarmConfiguration = z.object({
  enabled: z.boolean(),
  ignorePollAlarmFailure: z.boolean().default(false),
  alarms: z.array(z.object({ name: z.string().trim().min(1) })).max(10, "A deployment group can list at most 10 alarms"),
});

export const BakeTimeSeconds = z.number().int().min(0, "Bake time cannot be negative").max(24 * 3600, "Bake time is at most 24 hours");
