"use client";

import { DeploymentHistory } from "@/components/deployments/deployment-history";
import { LinkButton } from "@/components/ui/link-button";
import { PageHeader } from "@/components/ui/page-header";

export default function DeploymentsPage() {
  const create = <LinkButton href="/deployments/new" variant="primary" data-testid="create-deployment">Create deployment</LinkButton>;
  return (
    <>
      <PageHeader crumbs={[{ label: "CodeDeploy" }, { label: "Deployments" }]} title="Deployments" />
      <DeploymentHistory title="Deployment history" actions={create} emptyAction={create} />
    </>
  );
}
