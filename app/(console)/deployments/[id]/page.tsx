"use client";

import { DeploymentView } from "@/components/deployments/deployment-view";
import { useParam } from "@/components/lib/use-param";

export default function DeploymentPage() {
  const deploymentId = useParam("id");
  // Keyed so a different deployment starts with a fresh live log.
  return <DeploymentView key={deploymentId} deploymentId={deploymentId} />;
}
