"use client";

import { GroupDetails } from "@/components/deployment-groups/group-details";
import { useParam } from "@/components/lib/use-param";

export default function DeploymentGroupPage() {
  return <GroupDetails applicationName={useParam("name")} deploymentGroupName={useParam("group")} />;
}
