import { shq } from "../lib/shell";
import type { InstallPlan } from "./install-plan";
import { baseName, parentOf } from "./paths";

export type InstallScriptOptions = {
  /** The unpacked revision (deployment-archive) on the host. */
  archiveDir: string;
  cleanupFile: string;
  lastSuccessfulInstallFile: string;
  /** Written into lastSuccessfulInstallFile once everything is installed. */
  deploymentDir: string;
};

/** Keep each command line well under ARG_MAX, so a revision of any size needs no special case. */
const MAX_ARGS = 400;
const MAX_CHARS = 64_000;

/**
 * Small shell functions so that removal costs one rm and one rmdir per few hundred paths instead of
 * a process per path. `for p do` iterates over the arguments as they were, so appending to "$@"
 * inside the loop is safe; `shift "$n"` then drops the originals.
 */
const PRELUDE = [
  "set -e",
  `fail() { printf 'Install failed: %s\\n' "$*" >&2; exit 1; }`,
  `isdir() { [ -d "$1" ] && [ ! -L "$1" ]; }`,
  `rmfiles() { n=$#; for p do isdir "$p" || set -- "$@" "$p"; done; shift "$n"; [ "$#" -eq 0 ] || rm -f -- "$@"; }`,
  `rmdirs() { n=$#; for p do ! isdir "$p" || set -- "$@" "$p"; done; shift "$n"; [ "$#" -eq 0 ] || rmdir -- "$@" 2>/dev/null || :; }`,
];

/**
 * One POSIX sh script (run as `sh -s`, script on stdin) that carries out a plan:
 * 1. undo the previous deployment, newest first: files and symlinks removed, then directories
 *    removed only if empty (someone else's files keep them), missing paths ignored; then the old
 *    cleanup file goes;
 * 2. create directories and copy files, each path appended to the new cleanup file just BEFORE it
 *    is installed, so an install that dies half-way is still fully undone by the next deployment
 *    (removing a listed path that never appeared is a no-op);
 * 3. chmod, then chown, per the appspec;
 * 4. record this deployment as the last successful install.
 */
export function renderInstallScript(plan: InstallPlan, opts: InstallScriptOptions): string {
  for (const [name, value] of Object.entries(opts)) {
    // The script cd's into the archive, so a relative path would land somewhere else.
    if (!value.startsWith("/")) throw new Error(`renderInstallScript: ${name} must be absolute, got ${value}`);
  }
  const out = [...PRELUDE];
  const cleanup = shq(opts.cleanupFile);
  out.push(`cd -- ${shq(opts.archiveDir)} || fail ${shq(`cannot enter the revision at ${opts.archiveDir}`)}`);

  const undo = `could not remove the files of the previous deployment`;
  for (const chunk of chunks(plan.removals)) out.push(`rmfiles ${chunk} || fail ${shq(undo)}`);
  for (const chunk of chunks(plan.removals)) out.push(`rmdirs ${chunk}`);

  // Truncating the old cleanup file replaces it (no rm: every process costs on a small host).
  const stateDirs = [...new Set([parentOf(opts.cleanupFile), parentOf(opts.lastSuccessfulInstallFile)])];
  out.push(
    `${stateDirs.map((d) => `[ -d ${shq(d)} ]`).join(" && ")} || mkdir -p -- ${stateDirs.map(shq).join(" ")} || fail 'could not create the deployment-instructions directory'`,
  );
  out.push(`: > ${cleanup} || fail ${shq(`could not write ${opts.cleanupFile}`)}`, `exec 3>> ${cleanup}`);

  // Directories and files already in place as the revision has them are this deployment's too;
  // the cleanup file keeps every directory before what it holds.
  for (const chunk of chunks(plan.keptDirectories)) out.push(`printf '%s\\n' ${chunk} >&3`);
  for (const chunk of chunks(plan.mkdirs)) {
    out.push(`printf '%s\\n' ${chunk} >&3`, `mkdir -p -- ${chunk} || fail 'could not create directories'`);
  }
  for (const chunk of chunks(plan.unchanged)) out.push(`printf '%s\\n' ${chunk} >&3`);
  for (const group of copyGroups(plan)) {
    const dir = group.dir;
    for (const chunk of chunks(group.copies.map((c) => c.to))) out.push(`printf '%s\\n' ${chunk} >&3`);
    const replaced = group.copies.filter((c) => c.replace).map((c) => c.to);
    for (const chunk of chunks(replaced)) {
      // Replace rather than write through: an existing symlink must not redirect the copy, and
      // a running binary cannot be opened for writing.
      out.push(`rm -f -- ${chunk} || fail ${shq(`could not replace files in ${dir}`)}`);
    }
    // -R -P copies a symlink as a symlink; -p keeps the revision's file modes.
    const target = shq(dir === "/" ? "/" : `${dir}/`);
    for (const chunk of chunks(group.copies.map((c) => c.from))) {
      out.push(`cp -RPp -- ${chunk} ${target} || fail ${shq(`could not copy files into ${dir}`)}`);
    }
  }
  out.push("exec 3>&-");
  out.push(...permissionCommands(plan));

  const last = opts.lastSuccessfulInstallFile;
  out.push(
    `printf '%s' ${shq(opts.deploymentDir)} > ${shq(`${last}.tmp`)} && mv -f -- ${shq(`${last}.tmp`)} ${shq(last)} || fail ${shq(`could not write ${last}`)}`,
  );
  return `${out.join("\n")}\n`;
}

/** Consecutive copies into one directory become one cp (sources keep their names there). */
function copyGroups(plan: InstallPlan): { dir: string; copies: InstallPlan["copies"] }[] {
  const groups: { dir: string; copies: InstallPlan["copies"] }[] = [];
  for (const copy of plan.copies) {
    if (baseName(copy.from) !== baseName(copy.to)) {
      throw new Error(`install plan copies ${copy.from} to ${copy.to} under another name`);
    }
    const dir = parentOf(copy.to);
    const last = groups.at(-1);
    if (last && last.dir === dir) last.copies.push(copy);
    else groups.push({ dir, copies: [copy] });
  }
  return groups;
}

/**
 * chmod before chown, the agent's order. chown clears setuid/setgid bits, so a mode that sets them
 * is applied once more after the chown; otherwise "4755" would silently end up 0755.
 */
function permissionCommands(plan: InstallPlan): string[] {
  const chmods = new Map<string, string[]>();
  const chowns = new Map<string, string[]>();
  const again = new Map<string, string[]>();
  const add = (map: Map<string, string[]>, key: string, path: string) => {
    map.set(key, [...(map.get(key) ?? []), path]);
  };
  for (const { path, mode, owner, group } of plan.permissions) {
    if (mode !== undefined) add(chmods, mode, path);
    if (owner !== undefined || group !== undefined) {
      add(chowns, owner === undefined ? `:${group}` : group === undefined ? owner : `${owner}:${group}`, path);
      if (mode !== undefined && mode.length === 4 && /^[1-7]/.test(mode)) add(again, mode, path);
    }
  }
  const out: string[] = [];
  const emit = (map: Map<string, string[]>, command: (key: string) => string, failure: (key: string) => string) => {
    for (const [key, paths] of map) {
      for (const chunk of chunks(paths)) out.push(`${command(key)} ${chunk} || fail ${shq(failure(key))}`);
    }
  };
  const setMode = (mode: string) => `chmod -- ${shq(mode)}`;
  const modeFailed = (mode: string) => `could not set mode ${mode} (permissions section of the appspec)`;
  emit(chmods, setMode, modeFailed);
  emit(
    chowns,
    (who) => (who.startsWith(":") ? `chgrp -- ${shq(who.slice(1))}` : `chown -- ${shq(who)}`),
    (who) => `could not change the owner to ${who} (permissions section of the appspec)`,
  );
  emit(again, setMode, modeFailed);
  return out;
}

/** Shell-quoted words, joined into lines of at most MAX_ARGS words and about MAX_CHARS. */
function chunks(words: readonly string[]): string[] {
  const lines: string[] = [];
  let line: string[] = [];
  let size = 0;
  for (const word of words) {
    const quoted = shq(word);
    if (line.length > 0 && (line.length >= MAX_ARGS || size + quoted.length > MAX_CHARS)) {
      lines.push(line.join(" "));
      line = [];
      size = 0;
    }
    line.push(quoted);
    size += quoted.length + 1;
  }
  if (line.length > 0) lines.push(line.join(" "));
  return lines;
}
