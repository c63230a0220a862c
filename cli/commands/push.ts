import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { defineCommand } from "../lib/command";
import { CliError, UsageError } from "../lib/errors";
import { bundleTypeOfKey, formatS3Location, parseS3Uri, type BundleType, type S3Location } from "../lib/s3-location";

const run = promisify(execFile);

/** Zip in-process; tarballs with the system tar, which every host that runs hooks has too. */
async function bundle(source: string, type: BundleType, outFile: string): Promise<void> {
  if (type === "zip") {
    const { zipDirectory } = await import("../lib/zip");
    zipDirectory(source, outFile);
    return;
  }
  // Top-level names rather than "." so entries carry no "./" prefix.
  const names = fs.readdirSync(source).sort();
  try {
    await run("tar", [type === "tgz" ? "-czf" : "-cf", outFile, "-C", source, "--", ...names]);
  } catch (err) {
    const e = err as Error & { stderr?: string };
    throw new CliError(`tar could not bundle ${source}: ${(e.stderr || e.message).trim()}`);
  }
}

export const push = defineCommand({
  name: "push",
  operation: "RegisterApplicationRevision",
  summary: "Bundle a folder, upload it to the server's bucket store and register it as a revision.",
  options: {
    "application-name": { type: "string", required: true, description: "Application to register the revision with." },
    "s3-location": { type: "string", required: true, placeholder: "s3://bucket/key", description: "Where to store it; .tar, .tar.gz or .tgz keys are tarballs, others zips." },
    source: { type: "string", placeholder: "dir", description: "Folder to bundle, with appspec.yml at its top (default: the current folder)." },
    description: { type: "string", description: "Revision description." },
    "ignore-hidden-files": { type: "boolean", description: "Accepted for aws compatibility; hidden files are always included." },
  },
  async run(o, env) {
    const { bucket, key } = parseS3Uri("s3-location", o["s3-location"]!);
    const source = path.resolve(o.source ?? ".");
    if (!fs.statSync(source, { throwIfNoEntry: false })?.isDirectory())
      throw new UsageError(`argument --source: ${source} is not a folder`);
    if (!["appspec.yml", "appspec.yaml"].some((f) => fs.existsSync(path.join(source, f))))
      throw new CliError(`${source} has no appspec.yml at its top; CodeDeploy needs one in every revision.`);
    const api = await env.api();
    const token = env.token();
    // Fail on an unknown application before uploading anything.
    await api.applications.get.query({ applicationName: o["application-name"]! });

    const bundleType = bundleTypeOfKey(key);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-push-"));
    try {
      const file = path.join(tmp, `bundle.${bundleType === "tgz" ? "tar.gz" : bundleType}`);
      await bundle(source, bundleType, file);
      const { uploadObject } = await import("../lib/client");
      const uploaded = await uploadObject(env.endpoint, token, bucket, key, file);
      const location: S3Location = { bucket, key, bundleType, eTag: uploaded.eTag };
      await api.revisions.register.mutate({
        applicationName: o["application-name"]!,
        s3Location: location,
        ...(o.description ? { description: o.description } : {}),
      });
      env.out(
        "To deploy with this revision, run:\n" +
          `slipway create-deployment --application-name ${o["application-name"]} --s3-location ${formatS3Location(location)} ` +
          "--deployment-group-name <deployment-group-name> --deployment-config-name <deployment-config-name> --description <description>",
      );
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  },
});
