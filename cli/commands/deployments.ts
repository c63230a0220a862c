import { AUTO_ROLLBACK_OPTION, parseAutoRollback } from "../lib/auto-rollback";
import { defineCommand } from "../lib/command";
import { UsageError } from "../lib/errors";
import { formatJson } from "../lib/output";
import { parseS3Location } from "../lib/s3-location";
import { oneOfValues } from "../lib/shorthand";
import type { Outputs } from "../lib/types";
import { APPLICATION_NAME, DEPLOYMENT_GROUP_NAME, DEPLOYMENT_ID, FILE_EXISTS_BEHAVIORS } from "../lib/options";

const STATUSES = ["Created", "Queued", "InProgress", "Succeeded", "Failed", "Stopped", "Ready"] as const;

export const createDeployment = defineCommand({
  name: "create-deployment",
  operation: "CreateDeployment",
  summary: "Deploy a revision to a deployment group.",
  options: {
    "application-name": APPLICATION_NAME,
    "deployment-group-name": DEPLOYMENT_GROUP_NAME,
    "s3-location": {
      type: "string",
      required: true,
      placeholder: "bucket=B,key=K,bundleType=zip[,eTag=E]",
      description: "The revision, as aws shorthand or JSON, or s3://bucket/key.",
    },
    "bundle-type": { type: "string", placeholder: "zip|tar|tgz", description: "With an s3:// location: the bundle type (default: from the key)." },
    "file-exists-behavior": { type: "string", placeholder: "DISALLOW|OVERWRITE|RETAIN", description: "Files already at a destination (default: the group's)." },
    description: { type: "string", description: "Deployment description." },
    "ignore-application-stop-failures": { type: "boolean", description: "Carry on when the previous revision's ApplicationStop fails." },
    "auto-rollback-configuration": { ...AUTO_ROLLBACK_OPTION, description: "Overrides the group's automatic rollback for this deployment." },
  },
  async run(o, env) {
    const revision = parseS3Location("s3-location", o["s3-location"]!, o["bundle-type"]);
    const fileExistsBehavior = oneOfValues("file-exists-behavior", o["file-exists-behavior"], FILE_EXISTS_BEHAVIORS);
    const autoRollbackConfiguration = parseAutoRollback("auto-rollback-configuration", o["auto-rollback-configuration"]);
    const created = await (await env.api()).deployments.create.mutate({
      applicationName: o["application-name"]!,
      deploymentGroupName: o["deployment-group-name"]!,
      revision,
      ...(o.description ? { description: o.description } : {}),
      ...(fileExistsBehavior ? { fileExistsBehavior } : {}),
      ...(o["ignore-application-stop-failures"] ? { ignoreApplicationStopFailures: true } : {}),
      ...(autoRollbackConfiguration ? { autoRollbackConfiguration } : {}),
    });
    env.out(formatJson({ deploymentId: created.deploymentId }));
  },
});

export const getDeployment = defineCommand({
  name: "get-deployment",
  operation: "GetDeployment",
  summary: "Show a deployment: status, revision, overview of its targets, error information.",
  options: { "deployment-id": DEPLOYMENT_ID },
  async run(o, env) {
    env.out(formatJson(await (await env.api()).deployments.get.query({ deploymentId: o["deployment-id"]! })));
  },
});

export const stopDeployment = defineCommand({
  name: "stop-deployment",
  operation: "StopDeployment",
  summary: "Stop a deployment in progress; hosts not yet started are skipped.",
  options: {
    "deployment-id": DEPLOYMENT_ID,
    "auto-rollback-enabled": { type: "boolean", description: "Roll back to the last successful revision after stopping." },
    "no-auto-rollback-enabled": { type: "boolean", description: "Do not roll back, whatever the group says." },
  },
  async run(o, env) {
    if (o["auto-rollback-enabled"] && o["no-auto-rollback-enabled"])
      throw new UsageError("--auto-rollback-enabled and --no-auto-rollback-enabled cannot be used together");
    const rollback = o["auto-rollback-enabled"] ? true : o["no-auto-rollback-enabled"] ? false : undefined;
    const result = await (await env.api()).deployments.stop.mutate({
      deploymentId: o["deployment-id"]!,
      ...(rollback !== undefined ? { autoRollbackEnabled: rollback } : {}),
    });
    env.out(formatJson(result));
  },
});

export const listDeployments = defineCommand({
  name: "list-deployments",
  operation: "ListDeployments",
  summary: "List deployment ids, newest first.",
  options: {
    "application-name": { type: "string", description: "Only this application's deployments." },
    "deployment-group-name": { type: "string", description: "Only this deployment group's (needs --application-name)." },
    "include-only-statuses": { type: "string", multiple: true, placeholder: "status", description: `Only deployments in these statuses (${STATUSES.join(", ")}).` },
  },
  async run(o, env) {
    if (o["deployment-group-name"] && !o["application-name"])
      throw new UsageError("--deployment-group-name needs --application-name");
    const statuses = o["include-only-statuses"]?.map((s) => oneOfValues("include-only-statuses", s, STATUSES)!);
    const list = await (await env.api()).deployments.list.query({
      ...(o["application-name"] ? { applicationName: o["application-name"] } : {}),
      ...(o["deployment-group-name"] ? { deploymentGroupName: o["deployment-group-name"] } : {}),
      limit: 1000,
    });
    const wanted = statuses ? list.filter((d) => (statuses as string[]).includes(d.status)) : list;
    env.out(formatJson({ deployments: wanted.map((d) => d.deploymentId) }));
  },
});

export const listDeploymentTargets = defineCommand({
  name: "list-deployment-targets",
  operation: "ListDeploymentTargets",
  summary: "List a deployment's target ids (its hosts).",
  options: { "deployment-id": DEPLOYMENT_ID },
  async run(o, env) {
    const targets = await (await env.api()).deployments.targets.query({ deploymentId: o["deployment-id"]! });
    env.out(formatJson({ targetIds: targets.map((t) => t.targetId) }));
  },
});

/** BatchGetDeploymentTargets' instanceTarget; the host's internal id is Slipway's, not CodeDeploy's. */
function instanceTarget({ hostId: _hostId, ...t }: Outputs["deployments"]["target"]) {
  return t;
}

export const getDeploymentTarget = defineCommand({
  name: "get-deployment-target",
  operation: "GetDeploymentTarget",
  summary: "Show one target of a deployment: its lifecycle events and their diagnostics.",
  options: {
    "deployment-id": DEPLOYMENT_ID,
    "target-id": { type: "string", required: true, description: "Target id (the host's name)." },
  },
  async run(o, env) {
    const t = await (await env.api()).deployments.target.query({ deploymentId: o["deployment-id"]!, targetId: o["target-id"]! });
    env.out(formatJson({ deploymentTarget: { deploymentTargetType: "InstanceTarget", instanceTarget: instanceTarget(t) } }));
  },
});
