/**
 * POSIX path arithmetic for the Install planner. Pure string work: the planner never looks at the
 * local filesystem, because the paths belong to a remote host.
 */

/** Segments with "." and empty ones dropped and ".." applied; undefined if ".." climbs out. */
function segments(path: string): string[] | undefined {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length === 0) return undefined;
      out.pop();
    } else {
      out.push(part);
    }
  }
  return out;
}

/** "/a//b/./c/" -> "/a/b/c". Undefined for a relative path or one whose ".." climbs above "/". */
export function normalizeAbsolute(path: string): string | undefined {
  if (!path.startsWith("/")) return undefined;
  const parts = segments(path);
  return parts && `/${parts.join("/")}`;
}

/**
 * A path inside the revision: "./a//b" -> "a/b"; "/", "." and "" are the root (""). A leading "/"
 * still means the revision root, as in the agent's File.join(archive, source).
 */
export function normalizeRelative(path: string): string | undefined {
  return segments(path)?.join("/");
}

export function parentOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i <= 0 ? "/" : path.slice(0, i);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** "/a/b/c" -> ["/a", "/a/b"]: the directories above a path, outermost first, without "/". */
export function ancestorsOf(path: string): string[] {
  const out: string[] = [];
  for (let i = path.indexOf("/", 1); i > 0; i = path.indexOf("/", i + 1)) out.push(path.slice(0, i));
  return out;
}

/** "a/b" -> ["a"]: the same for a revision-relative path. */
export function relativeAncestorsOf(path: string): string[] {
  const out: string[] = [];
  for (let i = path.indexOf("/"); i > 0; i = path.indexOf("/", i + 1)) out.push(path.slice(0, i));
  return out;
}

export function joinPath(dir: string, rel: string): string {
  if (rel === "") return dir;
  return dir === "/" ? `/${rel}` : `${dir}/${rel}`;
}
