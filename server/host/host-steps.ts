import crypto from "node:crypto";
import fs from "node:fs";
import { parseCleanupFile } from "../appspec/cleanup";
import { installCandidates, planInstall, renderInstallScript } from "../appspec/install-plan";
import type { AppSpec, FileExistsBehavior } from "../appspec/types";
import { shq } from "../lib/shell";
import type { HostConnection } from "./connection";
import { KEEP_DEPLOYMENTS, type HostLayout } from "./layout";
import type { PreparedRevision } from "./prepared-revision";

/** A step failed on the host; the message is what the lifecycle event's diagnostics show. */
export class StepError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StepError";
  }
}

const marker = () => `@@slipway-${crypto.randomBytes(6).toString("hex")}@@`;

export type PreviousInstall = { deploymentDir: string; appspecText: string | null } | null;

/**
 * One round trip before ApplicationStop: creates the deployment's folders and reads which
 * revision is installed now (its deployment dir and appspec), since ApplicationStop runs the
 * scripts of the last successful install, as the CodeDeploy agent does.
 */
export async function prepareHost(conn: HostConnection, layout: HostLayout): Promise<PreviousInstall> {
  const m = marker();
  const script = [
    `mkdir -p ${shq(layout.deploymentDir)}/logs ${shq(layout.instructions)} || exit 1`,
    `[ -f ${shq(layout.lastSuccessfulInstallFile)} ] || exit 0`,
    `p=$(cat ${shq(layout.lastSuccessfulInstallFile)})`,
    `printf '%s\\n' "$p"`,
    `for f in appspec.yml appspec.yaml; do`,
    `  if [ -f "$p/deployment-archive/$f" ]; then printf '%s\\n' ${shq(m)}; cat "$p/deployment-archive/$f"; exit 0; fi`,
    `done`,
  ].join("\n");
  const r = await conn.run("sh -s", script);
  if (r.code !== 0) throw new StepError(`Could not prepare ${layout.deploymentDir} on the host: ${r.stderr.trim()}`);
  if (!r.stdout) return null;
  const nl = r.stdout.indexOf("\n");
  const deploymentDir = r.stdout.slice(0, nl).trim();
  if (!deploymentDir) return null;
  const rest = r.stdout.slice(nl + 1);
  const at = rest.indexOf(m + "\n");
  return { deploymentDir, appspecText: at === -1 ? null : rest.slice(at + m.length + 1) };
}

/** DownloadBundle: the normalised tar streams in one channel, is kept as bundle.tar and unpacked. */
export async function transferBundle(conn: HostConnection, layout: HostLayout, revision: PreparedRevision): Promise<void> {
  const cmd =
    `mkdir -p ${shq(layout.archiveDir)} && cat > ${shq(layout.bundleFile)} && ` +
    `tar --no-same-owner -xf ${shq(layout.bundleFile)} -C ${shq(layout.archiveDir)}`;
  const errOut: Buffer[] = [];
  const { code } = await conn.exec(cmd, {
    stdin: fs.createReadStream(revision.tarFile),
    onStderr: (c) => errOut.push(c),
  });
  if (code !== 0) {
    const why = Buffer.concat(errOut).toString("utf8").trim() || `exit code ${code}`;
    throw new StepError(`Unpacking the bundle on the host failed: ${why}`);
  }
}

/**
 * A rollback or redeploy of a bundle the host still holds (it keeps the last deployments'
 * folders) copies that bundle.tar locally instead of transferring it, once its sha256 matches.
 */
export async function reuseBundle(
  conn: HostConnection,
  layout: HostLayout,
  sha256: string,
  candidates: string[],
): Promise<{ reused: string | null; mismatches: { deploymentId: string; sha256: string }[] }> {
  if (!candidates.length) return { reused: null, mismatches: [] };
  const script = [
    `for d in ${candidates.map(shq).join(" ")}; do`,
    `  f=${shq(layout.groupDir)}/"$d"/bundle.tar`,
    `  [ -f "$f" ] || continue`,
    `  got=$(sha256sum "$f" 2>/dev/null | cut -d' ' -f1)`,
    `  if [ "$got" = ${shq(sha256)} ]; then`,
    // A hard link, not a copy: bundle.tar is never written after it arrives.
    `    mkdir -p ${shq(layout.archiveDir)} && { ln -f "$f" ${shq(layout.bundleFile)} 2>/dev/null || cp "$f" ${shq(layout.bundleFile)}; } && tar --no-same-owner -xf ${shq(layout.bundleFile)} -C ${shq(layout.archiveDir)} && echo "reused $d" && exit 0`,
    `    exit 1`,
    `  fi`,
    `  echo "mismatch $d $got"`,
    `done`,
  ].join("\n");
  const r = await conn.run("sh -s", script);
  const mismatches: { deploymentId: string; sha256: string }[] = [];
  let reused: string | null = null;
  for (const line of r.stdout.split("\n")) {
    const [word, id, sum] = line.split(" ");
    if (word === "reused" && r.code === 0) reused = id;
    if (word === "mismatch") mismatches.push({ deploymentId: id, sha256: sum || "(unreadable)" });
  }
  return { reused, mismatches };
}

/**
 * Install: probe the host (previous cleanup list, which destination paths exist), plan every
 * copy, and only then run one generated script that removes the previous revision's files and
 * copies the new ones. A conflict fails here, before anything on the host was touched.
 */
export async function installRevision(
  conn: HostConnection,
  layout: HostLayout,
  spec: AppSpec,
  revision: PreparedRevision,
  fileExistsBehavior: FileExistsBehavior,
  onLine: (text: string) => void,
): Promise<void> {
  const candidates = installCandidates(spec, revision.entries);
  const m = marker();
  const probe = [
    `cat ${shq(layout.cleanupFile)} 2>/dev/null`,
    `printf '\\n%s\\n' ${shq(m)}`,
    `while IFS= read -r p; do`,
    `  if [ -d "$p" ]; then echo d; elif [ -L "$p" ]; then echo l; elif [ -e "$p" ]; then echo f; else echo -; fi`,
    `done`,
  ].join("\n");
  const r = await conn.run(`sh -c ${shq(probe)}`, candidates.map((c) => c + "\n").join(""));
  if (r.code !== 0) throw new StepError(`Could not inspect the host before installing: ${r.stderr.trim()}`);
  const at = r.stdout.indexOf(`\n${m}\n`);
  // The cleanup text keeps its own last newline (or lacks it, when torn); the probe added one.
  const previousCleanup = parseCleanupFile(r.stdout.slice(0, at));
  const kinds = r.stdout.slice(at + m.length + 2).split("\n");
  const existing: Record<string, "file" | "directory" | "symlink"> = {};
  candidates.forEach((p, i) => {
    const k = kinds[i];
    if (k === "f") existing[p] = "file";
    else if (k === "d") existing[p] = "directory";
    else if (k === "l") existing[p] = "symlink";
  });
  const plan = planInstall({ spec, entries: revision.entries, previousCleanup, existing, fileExistsBehavior });
  onLine(
    `Install plan: remove ${plan.removals.length} path(s) of the previous revision, create ${plan.mkdirs.length} folder(s), ` +
      `copy ${plan.copies.length} file(s)` +
      (plan.retained.length ? `, retain ${plan.retained.length} existing file(s)` : ""),
  );
  const script = renderInstallScript(plan, {
    archiveDir: layout.archiveDir,
    cleanupFile: layout.cleanupFile,
    lastSuccessfulInstallFile: layout.lastSuccessfulInstallFile,
    deploymentDir: layout.deploymentDir,
  });
  const done = await conn.run("sh -s", script);
  if (done.code !== 0) throw new StepError(`Install failed on the host: ${done.stderr.trim() || `exit code ${done.code}`}`);
}

/** After the last event: the host keeps its scripts.log, and only the last deployments' folders. */
export async function finishHost(conn: HostConnection, layout: HostLayout, log: string): Promise<void> {
  const prune = [
    `cat > ${shq(layout.scriptsLog)}`,
    `cd ${shq(layout.groupDir)} || exit 0`,
    `keep=$(cat ${shq(layout.lastSuccessfulInstallFile)} 2>/dev/null)`,
    `keep=$(basename "$keep" 2>/dev/null)`,
    `ls -1t | tail -n +${KEEP_DEPLOYMENTS + 1} | while IFS= read -r d; do`,
    `  [ "$keep" = "$d" ] || rm -rf -- "./$d"`,
    `done`,
  ].join("\n");
  await conn.run(`sh -c ${shq(prune)}`, log);
}
