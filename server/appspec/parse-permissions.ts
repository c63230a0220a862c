import { AppSpecError, FIX_PERMISSIONS } from "./appspec-error";
import type { PermissionSpec } from "./types";
import { describe, isAbsent, scalarText, type YamlTree } from "./yaml-tree";

const OBJECT_TYPES = ["file", "directory"] as const;
type ObjectType = (typeof OBJECT_TYPES)[number];

/** The `permissions` section, validated the way the CodeDeploy agent validates it. */
export function parsePermissions(node: YamlTree | undefined): PermissionSpec[] {
  if (isAbsent(node)) return [];
  if (node.kind !== "seq") {
    throw new AppSpecError(
      `The deployment failed because the permissions section of the application specification file is ${describe(node)}, not a list. ${FIX_PERMISSIONS}`,
    );
  }
  return node.items.map(parsePermission);
}

function parsePermission(node: YamlTree): PermissionSpec {
  const entries = node.kind === "map" ? node.entries : new Map<string, YamlTree>();
  const object = scalarText(entries.get("object"))?.trim();
  if (!object) {
    throw new AppSpecError(
      `The deployment failed because a permission listed in the application specification file has no object value. ${FIX_PERMISSIONS}`,
    );
  }
  for (const key of ["acls", "context"]) {
    // Silently skipping an ACL or SELinux context would leave files more open than the author
    // asked for, so say plainly that Slipway does not apply them (yet).
    if (!isAbsent(entries.get(key))) {
      throw new AppSpecError(
        `The deployment failed because the permission for ${object} specifies ${key}, which Slipway does not support yet. Remove ${key} from the permissions section of the AppSpec file, and then try again.`,
      );
    }
  }
  const spec: PermissionSpec = {
    object,
    pattern: optionalText(entries.get("pattern"), "pattern", object) ?? "**",
    except: parseExcept(entries.get("except"), object),
  };
  const owner = parseAccount(entries.get("owner"), "owner", object);
  if (owner !== undefined) spec.owner = owner;
  const group = parseAccount(entries.get("group"), "group", object);
  if (group !== undefined) spec.group = group;
  const mode = parseMode(entries.get("mode"));
  if (mode !== undefined) spec.mode = mode;
  const type = parseTypes(entries.get("type"));
  if (type !== undefined) spec.type = type;
  return spec;
}

function optionalText(node: YamlTree | undefined, what: string, object: string): string | undefined {
  if (isAbsent(node)) return undefined;
  const text = scalarText(node);
  if (text === undefined || text === "") {
    throw new AppSpecError(
      `The deployment failed because the permission for ${object} has an invalid ${what} (${describe(node)}). ${FIX_PERMISSIONS}`,
    );
  }
  return text;
}

function parseExcept(node: YamlTree | undefined, object: string): string[] {
  if (isAbsent(node)) return [];
  if (node.kind !== "seq") {
    throw new AppSpecError(
      `The deployment failed because the except parameter for a pattern in the permissions section (${describe(node)}) for the object named ${object} contains an invalid format. Update the AppSpec file, and then try again.`,
    );
  }
  return node.items.map((item) => optionalText(item, "except pattern", object) ?? "");
}

/** A user or group name (or numeric id); it ends up in `chown owner:group`, so no colon. */
function parseAccount(node: YamlTree | undefined, what: string, object: string): string | undefined {
  const name = optionalText(node, what, object);
  if (name !== undefined && /[\s:]/.test(name)) {
    throw new AppSpecError(
      `The deployment failed because the permission for ${object} has an invalid ${what} (${name}). ${FIX_PERMISSIONS}`,
    );
  }
  return name;
}

/**
 * The mode as the author wrote it. YAML reads `mode: 0644` as a number (420 in YAML 1.1), which is
 * why the agent's own parse of it is famously surprising; the source text is what was meant.
 */
function parseMode(node: YamlTree | undefined): string | undefined {
  if (isAbsent(node)) return undefined;
  const mode = node.kind === "scalar" ? node.text : describe(node);
  if (mode.length < 1 || mode.length > 4) {
    throw new AppSpecError(
      `The deployment failed because the length of a permissions mode (${mode}) in the application specification file is invalid. Permissions modes must be between one and four characters long. ${FIX_PERMISSIONS}`,
    );
  }
  const bad = [...mode].find((c) => c < "0" || c > "7");
  if (bad !== undefined) {
    throw new AppSpecError(
      `The deployment failed because the permissions mode (${mode}) in the application specification file contains an invalid character (${bad}). ${FIX_PERMISSIONS}`,
    );
  }
  return mode;
}

function parseTypes(node: YamlTree | undefined): ObjectType[] | undefined {
  if (isAbsent(node)) return undefined;
  const items = node.kind === "seq" ? node.items : [node];
  return items.map((item) => {
    const text = scalarText(item);
    const type = OBJECT_TYPES.find((t) => t === text);
    if (type === undefined) {
      throw new AppSpecError(
        `The deployment failed because the application specification file specifies a permission for an object type not supported for permissions (${describe(item)}). ${FIX_PERMISSIONS}`,
      );
    }
    return type;
  });
}
