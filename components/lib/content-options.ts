import type { BundleType, FileExistsBehavior } from "./trpc";

/** The console's "Content options" for files already at the destination (fileExistsBehavior). */
export const CONTENT_OPTIONS: { value: FileExistsBehavior; label: string; description: string }[] = [
  { value: "DISALLOW", label: "Fail the deployment", description: "An error is reported and the deployment status is changed to Failed." },
  { value: "OVERWRITE", label: "Overwrite the content", description: "The version of the file from the application revision replaces the version on the instance." },
  { value: "RETAIN", label: "Retain the content", description: "The file on the instance is kept and used as part of the new deployment." },
];

export const contentOptionLabel = (v: string | null | undefined) => CONTENT_OPTIONS.find((o) => o.value === v)?.label ?? v ?? "-";

export const BUNDLE_TYPES: { value: BundleType; label: string }[] = [
  { value: "zip", label: ".zip" },
  { value: "tar", label: ".tar" },
  { value: "tgz", label: ".tar.gz" },
];

export const bundleTypeLabel = (v: string) => BUNDLE_TYPES.find((b) => b.value === v)?.label ?? v;

/** The bundle type a file name implies, as the console infers it from the revision location. */
export function bundleTypeFromName(name: string): BundleType | null {
  const n = name.toLowerCase();
  if (n.endsWith(".zip")) return "zip";
  if (n.endsWith(".tar.gz") || n.endsWith(".tgz")) return "tgz";
  if (n.endsWith(".tar")) return "tar";
  return null;
}

/** The deployment configurations the server accepts, with what each does (CodeDeploy's rules). */
export const DEPLOYMENT_CONFIGS: { name: string; description: string }[] = [
  {
    name: "CodeDeployDefault.OneAtATime",
    description: "One instance at a time, stopping at the first failure; succeeds when every instance does, or when only the last one fails.",
  },
  {
    name: "CodeDeployDefault.AllAtOnce",
    description: "Every instance at once; succeeds when at least one instance does.",
  },
];

export const deploymentConfigDescription = (name: string) => DEPLOYMENT_CONFIGS.find((c) => c.name === name)?.description;
