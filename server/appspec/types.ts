/** The lifecycle events of an in-place deployment, in the order the CodeDeploy agent runs them. */
export const LIFECYCLE_EVENTS = [
  "ApplicationStop",
  "DownloadBundle",
  "BeforeInstall",
  "Install",
  "AfterInstall",
  "ApplicationStart",
  "ValidateService",
] as const;
export type LifecycleEventName = (typeof LIFECYCLE_EVENTS)[number];

/**
 * Every event name an appspec may carry hooks for (in-place and load-balancer ones). Hooks for the
 * load-balancer events are accepted (existing appspecs carry them) but only run with a load balancer.
 */
export const APPSPEC_HOOK_EVENTS = [
  "ApplicationStop",
  "BeforeInstall",
  "AfterInstall",
  "ApplicationStart",
  "ValidateService",
  "BeforeBlockTraffic",
  "AfterBlockTraffic",
  "BeforeAllowTraffic",
  "AfterAllowTraffic",
] as const;

export type FileExistsBehavior = "DISALLOW" | "OVERWRITE" | "RETAIN";

export type HookScript = {
  /** Relative to the revision root, even when it starts with "/". Trimmed. */
  location: string;
  /** Seconds; default 3600. */
  timeout: number;
  runas?: string;
  sudo?: boolean;
};

export type FileMapping = { source: string; destination: string };

export type PermissionSpec = {
  object: string;
  pattern: string; // default "**"
  except: string[];
  owner?: string;
  group?: string;
  /** Octal digits as text, e.g. "644" or "0755". */
  mode?: string;
  type?: ("file" | "directory")[];
};

export type AppSpec = {
  version: string; // "0.0"
  os: "linux";
  hooks: Partial<Record<string, HookScript[]>>;
  files: FileMapping[];
  permissions: PermissionSpec[];
  fileExistsBehavior?: FileExistsBehavior;
};
