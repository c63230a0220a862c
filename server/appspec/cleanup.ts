/**
 * The cleanup file (deployment-instructions/<deploymentGroupId>-cleanup): one absolute path per
 * line, appended as each path is installed, so the next deployment can remove exactly what this one
 * put on the host.
 */

/**
 * Paths in the order they were installed. A last line without its newline was being written when
 * the install died, so, like the CodeDeploy agent, it is ignored rather than trusted.
 */
export function parseCleanupFile(text: string): string[] {
  const lines = text.split("\n");
  lines.pop(); // the (possibly empty) remainder after the last newline
  return lines.map((line) => line.replace(/\r$/, "")).filter((line) => line.trim() !== "");
}

/** The file's text for these paths; every line ends with a newline, the last one included. */
export function renderCleanupLines(paths: readonly string[]): string {
  for (const path of paths) {
    if (path.includes("\n")) throw new Error(`a cleanup path cannot contain a newline: ${JSON.stringify(path)}`);
  }
  return paths.map((path) => `${path}\n`).join("");
}
