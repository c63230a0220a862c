import { AUTO_ROLLBACK_OPTION, parseAutoRollback } from "../lib/auto-rollback";
import { defineCommand, type OptionSpec } from "../lib/command";
import { UsageError } from "../lib/errors";
import { formatJson } from "../lib/output";
import { oneOfValues, parseShorthand, pickKeys } from "../lib/shorthand";
import type { Outputs } from "../lib/types";
import { APPLICATION_NAME, DEPLOYMENT_GROUP_NAME, FILE_EXISTS_BEHAVIORS } from "../lib/options";

const TAG_FILTER_TYPES = ["KEY_ONLY", "VALUE_ONLY", "KEY_AND_VALUE"] as const;
type TagFilter = { Key?: string; Value?: string; Type: (typeof TAG_FILTER_TYPES)[number] };

const TAG_FILTERS = {
  type: "string",
  multiple: true,
  placeholder: "Key=k,Value=v,Type=KEY_AND_VALUE",
  description: "Hosts whose tags match any of these filters are the group's targets.",
} as const satisfies OptionSpec;
// aws deploy names it --on-premises-instance-tag-filters; both spellings work.
const TAG_FILTERS_AWS = { ...TAG_FILTERS, description: "Same as --on-premises-tag-filters (the aws CLI's name)." } as const satisfies OptionSpec;

function parseTagFilters(values: string[] | undefined): TagFilter[] | undefined {
  return values?.map((text) => {
    const f = pickKeys("on-premises-tag-filters", parseShorthand("on-premises-tag-filters", text), ["Key", "Value", "Type"] as const);
    const type = oneOfValues("on-premises-tag-filters Type", f.Type ?? (f.Key && f.Value !== undefined ? "KEY_AND_VALUE" : f.Key ? "KEY_ONLY" : "VALUE_ONLY"), TAG_FILTER_TYPES)!;
    if (type !== "VALUE_ONLY" && !f.Key) throw new UsageError(`Error parsing parameter '--on-premises-tag-filters': Type ${type} needs a Key in '${text}'`);
    return { ...(f.Key !== undefined ? { Key: f.Key } : {}), ...(f.Value !== undefined ? { Value: f.Value } : {}), Type: type };
  });
}

function filtersOf(o: { "on-premises-tag-filters"?: string[]; "on-premises-instance-tag-filters"?: string[] }) {
  const all = [...(o["on-premises-tag-filters"] ?? []), ...(o["on-premises-instance-tag-filters"] ?? [])];
  return parseTagFilters(all.length ? all : undefined);
}

/** GetDeploymentGroup's deploymentGroupInfo. */
function deploymentGroupInfo(g: Outputs["deploymentGroups"]["get"]) {
  return {
    applicationName: g.applicationName,
    deploymentGroupId: g.deploymentGroupId,
    deploymentGroupName: g.deploymentGroupName,
    deploymentConfigName: g.deploymentConfigName,
    onPremisesInstanceTagFilters: g.onPremisesTagFilters,
    autoRollbackConfiguration: g.autoRollbackConfiguration,
    deploymentStyle: { deploymentType: "IN_PLACE", deploymentOption: "WITHOUT_TRAFFIC_CONTROL" },
    outdatedInstancesStrategy: "IGNORE",
    computePlatform: "Server",
    fileExistsBehavior: g.fileExistsBehavior,
    createTime: g.createTime,
  };
}

const APP = APPLICATION_NAME;
const GROUP = DEPLOYMENT_GROUP_NAME;
const CONFIG = { type: "string", description: "Deployment configuration (default CodeDeployDefault.OneAtATime)." } as const;
const FILE_EXISTS_OPTION = { type: "string", placeholder: "DISALLOW|OVERWRITE|RETAIN", description: "Default for files already at a destination." } as const;

type GroupSettingOptions = {
  "deployment-config-name"?: string;
  "file-exists-behavior"?: string;
  "auto-rollback-configuration"?: string;
};

/** The settings create and update share, from their options; unset ones are left out. */
function groupSettings(o: GroupSettingOptions) {
  const fileExistsBehavior = oneOfValues("file-exists-behavior", o["file-exists-behavior"], FILE_EXISTS_BEHAVIORS);
  const autoRollbackConfiguration = parseAutoRollback("auto-rollback-configuration", o["auto-rollback-configuration"]);
  return {
    ...(o["deployment-config-name"] ? { deploymentConfigName: o["deployment-config-name"] } : {}),
    ...(fileExistsBehavior ? { fileExistsBehavior } : {}),
    ...(autoRollbackConfiguration ? { autoRollbackConfiguration } : {}),
  };
}

export const createDeploymentGroup = defineCommand({
  name: "create-deployment-group",
  operation: "CreateDeploymentGroup",
  summary: "Create a deployment group: the hosts, chosen by tag, that a deployment goes to.",
  options: {
    "application-name": APP,
    "deployment-group-name": GROUP,
    "on-premises-tag-filters": TAG_FILTERS,
    "on-premises-instance-tag-filters": TAG_FILTERS_AWS,
    "deployment-config-name": CONFIG,
    "file-exists-behavior": FILE_EXISTS_OPTION,
    "auto-rollback-configuration": AUTO_ROLLBACK_OPTION,
  },
  async run(o, env) {
    const settings = groupSettings(o);
    const g = await (await env.api()).deploymentGroups.create.mutate({
      applicationName: o["application-name"]!,
      deploymentGroupName: o["deployment-group-name"]!,
      onPremisesTagFilters: filtersOf(o) ?? [],
      ...settings,
    });
    env.out(formatJson({ deploymentGroupId: g.deploymentGroupId }));
  },
});

export const updateDeploymentGroup = defineCommand({
  name: "update-deployment-group",
  operation: "UpdateDeploymentGroup",
  summary: "Rename a deployment group or change its tag filters, configuration or file exists behavior.",
  options: {
    "application-name": APP,
    "current-deployment-group-name": { type: "string", required: true, description: "The group's current name." },
    "new-deployment-group-name": { type: "string", description: "A new name." },
    "on-premises-tag-filters": { ...TAG_FILTERS, description: "Replaces the group's tag filters." },
    "on-premises-instance-tag-filters": TAG_FILTERS_AWS,
    "deployment-config-name": CONFIG,
    "file-exists-behavior": FILE_EXISTS_OPTION,
    "auto-rollback-configuration": AUTO_ROLLBACK_OPTION,
  },
  async run(o, env) {
    const settings = groupSettings(o);
    const filters = filtersOf(o);
    await (await env.api()).deploymentGroups.update.mutate({
      applicationName: o["application-name"]!,
      currentDeploymentGroupName: o["current-deployment-group-name"]!,
      ...(o["new-deployment-group-name"] ? { newDeploymentGroupName: o["new-deployment-group-name"] } : {}),
      ...(filters ? { onPremisesTagFilters: filters } : {}),
      ...settings,
    });
    env.out(formatJson({ hooksNotCleanedUp: [] }));
  },
});

export const getDeploymentGroup = defineCommand({
  name: "get-deployment-group",
  operation: "GetDeploymentGroup",
  summary: "Show a deployment group.",
  options: { "application-name": APP, "deployment-group-name": GROUP },
  async run(o, env) {
    const g = await (await env.api()).deploymentGroups.get.query({
      applicationName: o["application-name"]!,
      deploymentGroupName: o["deployment-group-name"]!,
    });
    env.out(formatJson({ deploymentGroupInfo: deploymentGroupInfo(g) }));
  },
});

export const listDeploymentGroups = defineCommand({
  name: "list-deployment-groups",
  operation: "ListDeploymentGroups",
  summary: "List an application's deployment group names.",
  options: { "application-name": APP },
  async run(o, env) {
    const groups = await (await env.api()).deploymentGroups.list.query({ applicationName: o["application-name"]! });
    env.out(formatJson({ applicationName: o["application-name"], deploymentGroups: groups.map((g) => g.deploymentGroupName) }));
  },
});

export const deleteDeploymentGroup = defineCommand({
  name: "delete-deployment-group",
  operation: "DeleteDeploymentGroup",
  summary: "Delete a deployment group.",
  options: { "application-name": APP, "deployment-group-name": GROUP },
  async run(o, env) {
    await (await env.api()).deploymentGroups.remove.mutate({
      applicationName: o["application-name"]!,
      deploymentGroupName: o["deployment-group-name"]!,
    });
    env.out(formatJson({ hooksNotCleanedUp: [] }));
  },
});
