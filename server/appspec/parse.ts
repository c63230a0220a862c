import { AppSpecError, FIX_FILES } from "./appspec-error";
import { parseHooks } from "./parse-hooks";
import { parsePermissions } from "./parse-permissions";
import type { AppSpec, FileExistsBehavior, FileMapping } from "./types";
import { describe, isAbsent, parseYamlTree, scalarText, type YamlTree } from "./yaml-tree";

export { AppSpecError } from "./appspec-error";

/** Looked up at the revision root in this order; the first one found is used for every event. */
export const APPSPEC_FILENAMES = ["appspec.yml", "appspec.yaml"] as const;

const FILE_EXISTS_BEHAVIORS: readonly FileExistsBehavior[] = ["DISALLOW", "OVERWRITE", "RETAIN"];

/**
 * Parses and validates an appspec. Sections are checked in the agent's order (version, os, hooks,
 * files, permissions, file_exists_behavior) so the first error is the one CodeDeploy would report.
 * Unknown top-level keys are ignored, as the agent does. `filename` only shapes messages.
 */
export function parseAppSpec(text: string, opts: { filename?: string } = {}): AppSpec {
  const parsed = parseYamlTree(text);
  if (!parsed.ok) {
    throw new AppSpecError(
      `The deployment failed because the application specification file is not valid YAML: ${parsed.problem}. Make sure the application specification file contains valid YAML, and then try again.`,
    );
  }
  if (parsed.tree === null) {
    throw new AppSpecError(
      "The deployment failed because the application specification file was empty. Make sure your AppSpec file defines at minimum the 'version' and 'os' properties.",
    );
  }
  if (parsed.tree.kind !== "map") {
    throw new AppSpecError(
      `The deployment failed because the application specification file is ${describe(parsed.tree)}, not a mapping of keys (version, os, files, hooks...). Make sure your AppSpec file defines at minimum the 'version' and 'os' properties.`,
    );
  }
  const root = parsed.tree.entries;
  const spec: AppSpec = {
    version: parseVersion(root.get("version")),
    os: parseOs(root.get("os")),
    hooks: parseHooks(root.get("hooks"), opts.filename ?? APPSPEC_FILENAMES[0]),
    files: parseFiles(root.get("files")),
    permissions: parsePermissions(root.get("permissions")),
  };
  const behavior = parseFileExistsBehavior(root.get("file_exists_behavior"));
  if (behavior !== undefined) spec.fileExistsBehavior = behavior;
  return spec;
}

/** The agent compares with the number 0.0; the string "0.0" is accepted too (a common quoting). */
function parseVersion(node: YamlTree | undefined): "0.0" {
  const fix = 'Make sure your AppSpec file specifies "0.0" as the version, and then try again.';
  if (isAbsent(node)) {
    throw new AppSpecError(
      `The deployment failed because no version value was entered in the application specification file. ${fix}`,
    );
  }
  if (node.kind === "scalar" && (node.value === 0 || node.value === "0.0")) return "0.0";
  throw new AppSpecError(
    `The deployment failed because an invalid version value (${describe(node)}) was entered in the application specification file. ${fix}`,
  );
}

function parseOs(node: YamlTree | undefined): "linux" {
  const os = scalarText(node);
  if (os === "linux") return "linux";
  if (os === "windows") {
    throw new AppSpecError(
      'The deployment failed because the application specification file specifies the windows operating system, which Slipway does not support. Specify "linux" in the os section of the AppSpec file, and then try again.',
    );
  }
  if (isAbsent(node)) {
    throw new AppSpecError(
      "The deployment failed because the application specification file does not specify an OS. Valid values: linux",
    );
  }
  throw new AppSpecError(
    `The deployment failed because the application specification file specifies an invalid OS (${describe(node)}). Valid values: linux`,
  );
}

function parseFiles(node: YamlTree | undefined): FileMapping[] {
  if (isAbsent(node)) return [];
  if (node.kind !== "seq") {
    throw new AppSpecError(
      `The deployment failed because the files section of the application specification file is ${describe(node)}, not a list of source and destination mappings. ${FIX_FILES}`,
    );
  }
  return node.items.map(parseFileMapping);
}

function parseFileMapping(node: YamlTree): FileMapping {
  const entries = node.kind === "map" ? node.entries : new Map<string, YamlTree>();
  const source = scalarText(entries.get("source"));
  const destination = scalarText(entries.get("destination"));
  if (!source) {
    throw new AppSpecError(
      `The deployment failed because the application specification file specifies a destination file, but no source file. ${FIX_FILES}`,
    );
  }
  if (!destination) {
    throw new AppSpecError(
      `The deployment failed because the application specification file specifies only a source file (${source}). Add the name of the destination file to the files section of the AppSpec file, and then try again.`,
    );
  }
  if (!destination.startsWith("/")) {
    throw new AppSpecError(
      `The deployment failed because the application specification file specifies a destination (${destination}) for the source ${source} that is not an absolute path. ${FIX_FILES}`,
    );
  }
  return { source, destination };
}

function parseFileExistsBehavior(node: YamlTree | undefined): FileExistsBehavior | undefined {
  if (isAbsent(node)) return undefined;
  const value = FILE_EXISTS_BEHAVIORS.find((b) => b === scalarText(node));
  if (value === undefined) {
    throw new AppSpecError(
      `The deployment failed because the application specification file specifies an invalid file_exists_behavior value (${describe(node)}). Valid values: DISALLOW, OVERWRITE, RETAIN`,
    );
  }
  return value;
}
