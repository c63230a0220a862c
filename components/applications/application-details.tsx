"use client";

import { useQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { GroupsPanel } from "@/components/deployment-groups/groups-panel";
import { DeploymentHistory } from "@/components/deployments/deployment-history";
import { readableMessage } from "@/components/lib/errors";
import { formatTime } from "@/components/lib/format";
import { useTRPC } from "@/components/lib/trpc";
import { newDeploymentHref } from "@/components/lib/use-param";
import { RevisionsPanel } from "@/components/revisions/revisions-panel";
import { Alert } from "@/components/ui/alert";
import { KeyValueGrid } from "@/components/ui/key-value";
import { LinkButton } from "@/components/ui/link-button";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { Tabs } from "@/components/ui/tabs";

const TABS = [
  { id: "deployment-groups", label: "Deployment groups" },
  { id: "revisions", label: "Revisions" },
  { id: "deployments", label: "Deployments" },
] as const;
type TabId = (typeof TABS)[number]["id"];

export function ApplicationDetails({ applicationName }: { applicationName: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const tabParam = useSearchParams().get("tab");
  const tab: TabId = TABS.find((t) => t.id === tabParam)?.id ?? "deployment-groups";
  const app = useQuery(trpc.applications.get.queryOptions({ applicationName }));
  const setTab = (id: TabId) => router.replace(`${pathname}?tab=${id}`, { scroll: false });

  return (
    <>
      <PageHeader crumbs={[{ label: "Applications", href: "/applications" }, { label: applicationName }]} title={applicationName}
        actions={<LinkButton href={newDeploymentHref(applicationName)} data-testid="create-deployment">Create deployment</LinkButton>} />
      {app.error ? (
        <Alert type="error" title="Could not load the application" className="mb-5">{readableMessage(app.error)}</Alert>
      ) : (
        <Panel title="Application details" className="mb-5">
          <KeyValueGrid items={[
            { label: "Name", value: applicationName },
            { label: "Compute platform", value: "EC2/On-premises" },
            { label: "Created", value: app.data ? formatTime(app.data.createTime) : "…" },
          ]} />
        </Panel>
      )}
      <Tabs label="Application" items={[...TABS]} value={tab} onChange={setTab} />
      {tab === "deployment-groups" && <GroupsPanel applicationName={applicationName} />}
      {tab === "revisions" && <RevisionsPanel applicationName={applicationName} />}
      {tab === "deployments" && <DeploymentHistory applicationName={applicationName} />}
    </>
  );
}
