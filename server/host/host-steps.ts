import fs from "node:fs";
import { parseCleanupFile } from "../appspec/cleanup";
import { layoutInstall } from "../appspec/install-layout";
import { planInstall, renderInstallScript } from "../appspec/install-plan";
import type { AppSpec, FileExistsBehavior } from "../appspec/types";
import { shq } from "../lib/shell";
import type { HostConnection } from "./connection";
import { KEEP_DEPLOYMENTS, type HostLayout } from "./layout";
import type { PreparedRevision } from "./prepared-revision";
import { inlineBlock, resultLines, type HostRunner } from "./runner";

/** A step failed on the host; the message is what the lifecycle event's diagnostics show. */
export class StepError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StepError";
  }
}

export type PreviousInstall = { deploymentDir: string; appspecText: string | null } | null;

/**
 * One round trip before ApplicationStop, reading which revision is installed now (its deployment
 * dir and appspec), since ApplicationStop runs the scripts of the last successful install, as the
 * CodeDeploy agent does, with shell builtins; the deployment's folders are made meanwhile in the
 * background.
 */
export async function prepareHost(runner: HostRunner, layout: HostLayout): Promise<PreviousInstall> {
  const script = inlineBlock("prepare", "p f l", [
    // The deployment's folders are made in the background while ApplicationStop runs;
    // DownloadBundle makes them itself if they are not there yet.
    `mkdir -p ${shq(layout.archiveDir)} ${shq(layout.deploymentDir)}/logs </dev/null >/dev/null 2>&1 &`,
    `[ -f ${shq(layout.lastSuccessfulInstallFile)} ] || return 0`,
    `IFS= read -r p < ${shq(layout.lastSuccessfulInstallFile)} || [ -n "$p" ] || return 0`,
    `r dir "$p"`,
    `for f in appspec.yml appspec.yaml; do`,
    `  if [ -f "$p/deployment-archive/$f" ]; then r appspec; while IFS= read -r l || [ -n "$l" ]; do r a "$l"; done < "$p/deployment-archive/$f"; return 0; fi`,
    `done`,
  ]);
  const r = await runner.run(script, {}, "inline");
  if (r.code !== 0) throw new StepError(`Could not prepare ${layout.deploymentDir} on the host: ${r.stderr.trim()}`);
  const results = resultLines(runner.marker, r.stdout);
  const deploymentDir = results.find((l) => l.startsWith("dir "))?.slice(4).trim();
  if (!deploymentDir) return null;
  if (!results.includes("appspec")) return { deploymentDir, appspecText: null };
  const appspec = results.filter((l) => l.startsWith("a ") || l === "a").map((l) => l.slice(2));
  return { deploymentDir, appspecText: appspec.map((l) => l + "\n").join("") };
}

/** DownloadBundle: the normalised tar streams in one channel, is kept as bundle.tar and unpacked. */
export async function transferBundle(conn: HostConnection, layout: HostLayout, revision: PreparedRevision): Promise<void> {
  const cmd =
    `mkdir -p ${shq(layout.archiveDir)} ${shq(layout.deploymentDir)}/logs && cat > ${shq(layout.bundleFile)} && ` +
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

/** Which checksum a host compared a file with: b2sum's BLAKE2b-512 where it has b2sum, else sha256sum's. */
export type ChecksumTool = "b2sum" | "sha256sum";

/** Sets `sum` to the host's faster checksum tool (b2sum), or sha256sum where it has none. */
const PICK_CHECKSUM = `sum=b2sum; command -v b2sum >/dev/null 2>&1 || sum=sha256sum`;

/** The prepared revision's checksum as a tool prints it. */
const checksumOf = (revision: Pick<PreparedRevision, "sha256" | "b2">, tool: ChecksumTool) => (tool === "b2sum" ? revision.b2 : revision.sha256);

/** `expected`: the revision's checksum by the host's `tool`; `checksum`: what the kept copy had. */
export type BundleReuse = {
  /** `linked`: the kept folder's unpacked copy was hard-linked; `unpacked`: the kept bundle was unpacked. */
  reused: { deploymentId: string; tool: ChecksumTool; expected: string; how: "linked" | "unpacked" } | null;
  mismatches: { deploymentId: string; tool: ChecksumTool; expected: string; checksum: string }[];
};

/**
 * A rollback or redeploy of a bundle the host still holds (it keeps the last deployments'
 * folders) uses that bundle.tar instead of transferring it, once its checksum matches the
 * prepared revision's. This deployment's deployment-archive is then either
 * - the kept folder's own unpacked copy, hard-linked (no file data written), when that copy is
 *   still exactly the bundle: `tar --compare` finds every member with its type, mode, owner,
 *   size, time and bytes, and it holds no path more (a hook of that deployment may have changed
 *   or added files). Only when the kept folder is not the installed one: its files are never used
 *   again but as such a source, which is checked each time;
 * - or the kept bundle unpacked, while its checksum is computed.
 * A mismatch removes what was unpacked; the next candidate, or the transfer, starts from an
 * empty folder.
 */
export async function reuseBundle(
  runner: HostRunner,
  layout: HostLayout,
  revision: Pick<PreparedRevision, "sha256" | "b2" | "entries">,
  candidates: string[],
  installed: string | null,
): Promise<BundleReuse> {
  if (!candidates.length) return { reused: null, mismatches: [] };
  const archive = shq(layout.archiveDir);
  const unpack = `tar --no-same-owner -xf "$f" -C ${archive}`;
  // Everything runs at once: the checksum, and either the unpacking or the comparison with the
  // links made meanwhile (cheap to undo: no file data is written).
  const script = inlineBlock("reuse", "d f k n c t l how got sum want", [
    PICK_CHECKSUM,
    `if [ "$sum" = b2sum ]; then want=${shq(checksumOf(revision, "b2sum"))}; else want=${shq(checksumOf(revision, "sha256sum"))}; fi`,
    `for d in ${candidates.map(shq).join(" ")}; do`,
    `  f=${shq(layout.groupDir)}/"$d"/bundle.tar; k=${shq(layout.groupDir)}/"$d"/deployment-archive`,
    `  [ -f "$f" ] || continue`,
    `  [ -d ${archive} ] || mkdir -p ${archive} || return 1`,
    `  if [ "$d" != ${shq(installed ?? "")} ] && [ -d "$k" ]; then`,
    `    how=linked; tar --compare -f "$f" -C "$k" >/dev/null 2>&1 & t=$!`,
    `    cp -al "$k/." ${archive} 2>/dev/null & l=$!`,
    // How many paths the copy holds: bash counts them itself (globstar, no process), sh asks find.
    `    if [ -n "$BASH_VERSION" ]; then shopt -s globstar dotglob nullglob; set -- "$k"/**; n=$(($# - 1)); shopt -u globstar dotglob nullglob`,
    `    else n=$(find "$k" -mindepth 1 -printf x 2>/dev/null); n=\${#n}; fi`,
    `  else`,
    `    how=unpacked; ${unpack} & t=$! l=`,
    `  fi`,
    `  got=$("$sum" "$f" 2>/dev/null); got=\${got%% *}`,
    `  wait "$t"; c=$?`,
    `  [ -z "$l" ] || wait "$l" || c=1`,
    `  if [ "$got" = "$want" ]; then`,
    `    if [ "$how" = unpacked ]; then [ "$c" -eq 0 ] || return 1`,
    `    elif [ "$c" -ne 0 ] || [ "$n" -ne ${revision.entries.length} ]; then`,
    `      how=unpacked; rm -rf -- ${archive} && mkdir -p ${archive} && ${unpack} || return 1`,
    `    fi`,
    // Hard-linked, not copied: bundle.tar is never written after it arrives.
    `    ln -f "$f" ${shq(layout.bundleFile)} 2>/dev/null || cp "$f" ${shq(layout.bundleFile)} || return 1`,
    `    r reused "$d" "$sum" "$how"; return 0`,
    `  fi`,
    `  rm -rf -- ${archive} || return 1`,
    `  r mismatch "$d" "$sum" "$got"`,
    `done`,
  ]);
  const r = await runner.run(script, {}, "inline");
  const result: BundleReuse = { reused: null, mismatches: [] };
  for (const line of resultLines(runner.marker, r.stdout)) {
    const [word, id, sum, arg] = line.split(" ");
    const tool: ChecksumTool = sum === "b2sum" ? "b2sum" : "sha256sum";
    const expected = checksumOf(revision, tool);
    if (word === "reused" && r.code === 0) result.reused = { deploymentId: id, tool, expected, how: arg === "linked" ? "linked" : "unpacked" };
    if (word === "mismatch") result.mismatches.push({ deploymentId: id, tool, expected, checksum: arg || "(unreadable)" });
  }
  return result;
}

/**
 * Install: probe the host (previous cleanup list, which destination paths exist), plan every
 * copy, and only then run one generated script that removes the previous revision's files and
 * copies the new ones. A conflict fails here, before anything on the host was touched.
 */
export async function installRevision(
  runner: HostRunner,
  layout: HostLayout,
  spec: AppSpec,
  revision: PreparedRevision,
  fileExistsBehavior: FileExistsBehavior,
  onLine: (text: string) => void,
): Promise<void> {
  // Every path the install would create or write, and the revision's regular files with where
  // they go (the pairs compared to find files already in place).
  const targets = layoutInstall(spec, revision.entries);
  const candidates = targets.map((t) => t.path);
  const pairs = targets.flatMap((t) => (t.kind === "file" ? [{ from: t.from, to: t.path }] : []));
  const comparing = pairs.length <= MAX_COMPARED_FILES;
  // The cleanup file's complete lines come back as result lines; `read` fails on a torn last line
  // (written when an install died), which is then ignored, as the CodeDeploy agent ignores it.
  // Then what each candidate path is (a letter each, KINDS_PER_LINE to a result line), and for
  // each revision file and its destination: size, type and mode, owner (one `stat`) and checksum
  // (one `b2sum`, or `sha256sum`; both leave out what they cannot read), so that files already in
  // place need not be removed and copied again. Paths are words of the block, not lines to read
  // (the shell reads a pipe one byte at a time), each compared path written once.
  const statted = comparing ? pairs.flatMap((x) => [`${layout.archiveDir}/${x.from}`, x.to]) : [];
  const probe = inlineBlock("probe", "l p ks n out sum IFS", [
    `[ ! -f ${shq(layout.cleanupFile)} ] || while IFS= read -r l; do r c "$l"; done < ${shq(layout.cleanupFile)}`,
    ...(candidates.length
      ? [
          `ks= n=0`,
          `for p in ${candidates.map(shq).join(" ")}; do`,
          `  if [ -d "$p" ]; then ks="$ks d"; elif [ -L "$p" ]; then ks="$ks l"; elif [ -e "$p" ]; then ks="$ks f"; else ks="$ks -"; fi`,
          `  n=$((n + 1)); [ "$n" -lt ${KINDS_PER_LINE} ] || { r "k$ks"; ks= n=0; }`,
          `done`,
          `[ -z "$ks" ] || r "k$ks"`,
        ]
      : []),
    ...(statted.length
      ? [
          `set -- ${statted.map(shq).join(" ")}`,
          // Both tools write through stdio buffers, so a line of theirs may be split across two
          // writes: a background writer landing in between spoils that line, and the file is then
          // only copied again (its stat or checksum does not match), never taken as in place.
          `rf; stat -c "$M r s %s %f %u %g %n" -- "$@" 2>/dev/null`,
          PICK_CHECKSUM,
          `out=$("$sum" -- "$@" 2>/dev/null)`,
          `set -f; IFS='\n'`,
          `[ -z "$out" ] || printf "$M r h %s\\n" $out`,
          `set +f`,
        ]
      : []),
    `return 0`,
  ]);
  const r = await runner.run(probe, {}, "inline");
  if (r.code !== 0) throw new StepError(`Could not inspect the host before installing: ${r.stderr.trim()}`);
  let cleanupText = "";
  const kinds: string[] = [];
  const stats = new Map<string, string>();
  const sums = new Map<string, string>();
  for (const line of resultLines(runner.marker, r.stdout)) {
    if (line.startsWith("c ")) cleanupText += line.slice(2) + "\n";
    else if (line.startsWith("k ")) kinds.push(...line.slice(2).split(" "));
    else if (line.startsWith("s ")) {
      const m = /^s (\d+) ([0-9a-f]+) (\d+) (\d+) (.*)$/.exec(line);
      // Regular files only (the type bits of the raw mode): a symlink is never "the same file".
      if (m && (parseInt(m[2], 16) & 0o170000) === 0o100000) stats.set(m[5], `${m[1]} ${m[2]} ${m[3]} ${m[4]}`);
    } else if (line.startsWith("h ")) {
      // "<checksum>  <name>" (b2sum: 128 hex digits, sha256sum: 64); a name the tool had to
      // escape starts the line with "\": not used.
      const m = /^h ([0-9a-f]{64}|[0-9a-f]{128}) {2}(.*)$/.exec(line);
      if (m) sums.set(m[2], m[1]);
    }
  }
  // Already in place: the destination has the revision file's size, type, mode, owner and checksum.
  const unchanged = new Set<string>();
  for (const x of comparing ? pairs : []) {
    const from = `${layout.archiveDir}/${x.from}`;
    const st = stats.get(from);
    const sum = sums.get(from);
    if (st !== undefined && sum !== undefined && st === stats.get(x.to) && sum === sums.get(x.to)) unchanged.add(x.to);
  }
  const previousCleanup = parseCleanupFile(cleanupText);
  if (kinds.length !== candidates.length)
    throw new StepError(`Could not inspect the host before installing: ${kinds.length} of ${candidates.length} paths answered.`);
  const existing: Record<string, "file" | "directory" | "symlink"> = {};
  candidates.forEach((p, i) => {
    const k = kinds[i];
    if (k === "f") existing[p] = "file";
    else if (k === "d") existing[p] = "directory";
    else if (k === "l") existing[p] = "symlink";
  });
  const plan = planInstall({ spec, entries: revision.entries, previousCleanup, existing, fileExistsBehavior, unchanged });
  onLine(
    `Install plan: remove ${plan.removals.length} path(s) of the previous revision, create ${plan.mkdirs.length} folder(s), ` +
      `copy ${plan.copies.length} file(s)` +
      (plan.unchanged.length ? `, keep ${plan.unchanged.length} file(s) already in place byte for byte` : "") +
      (plan.retained.length ? `, retain ${plan.retained.length} existing file(s)` : ""),
  );
  const script = renderInstallScript(plan, {
    archiveDir: layout.archiveDir,
    cleanupFile: layout.cleanupFile,
    lastSuccessfulInstallFile: layout.lastSuccessfulInstallFile,
    deploymentDir: layout.deploymentDir,
  });
  const done = await runner.run(script);
  if (done.code !== 0) throw new StepError(`Install failed on the host: ${done.stderr.trim() || `exit code ${done.code}`}`);
}

/** Above this many revision files, Install copies everything rather than comparing first. */
const MAX_COMPARED_FILES = 2000;
/** Candidate paths whose kinds share one result line (2 characters each: well under 1000). */
const KINDS_PER_LINE = 200;

/**
 * After the last event: the host keeps its scripts.log (written by the shell's own printf), and
 * only the last deployments' folders. The pruning runs in the background on the host, detached
 * from the runner's output: nothing waits for it, and the next deployment's folder is newer than
 * anything it removes.
 */
export async function finishHost(runner: HostRunner, layout: HostLayout, log: string): Promise<void> {
  const logs = `${layout.deploymentDir}/logs`;
  // Oldest first by the folders' mtime (what `ls -t` sorts by), with the shell's own -ot: one
  // `rm` is the only process it starts.
  const prune = [
    `cd ${shq(layout.groupDir)} || exit 0`,
    `keep=`,
    `[ ! -f ${shq(layout.lastSuccessfulInstallFile)} ] || IFS= read -r keep < ${shq(layout.lastSuccessfulInstallFile)} || :`,
    `keep=\${keep##*/}`,
    `set -- */; n=$#`,
    `while [ "$n" -gt ${KEEP_DEPLOYMENTS} ]; do`,
    `  o=`,
    `  for d in */; do d=\${d%/}; [ "$d" != "$keep" ] || continue; if [ -z "$o" ] || [ "$d" -ot "$o" ]; then o=$d; fi; done`,
    `  [ -n "$o" ] || break`,
    // Housekeeping gives way to the application: lowest CPU priority.
    `  nice -n 19 rm -rf -- "./$o" || break`,
    `  n=$((n - 1))`,
    `done`,
  ].join("\n");
  const script = inlineBlock("finish", "", [
    `[ -d ${shq(logs)} ] || mkdir -p ${shq(logs)} || return 1`,
    `printf '%s' ${shq(log.replace(/\0/g, ""))} > ${shq(layout.scriptsLog)} || return 1`,
    `set -- ${shq(layout.groupDir)}/*/`,
    `[ "$#" -le ${KEEP_DEPLOYMENTS} ] || ( ${prune}
  ) </dev/null >/dev/null 2>&1 &`,
    `return 0`,
  ]);
  const r = await runner.run(script, {}, "inline");
  if (r.code !== 0) throw new StepError(`Could not write the host's scripts.log: ${r.stderr.trim() || `exit code ${r.code}`}`);
}
