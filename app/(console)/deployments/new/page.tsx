"use client";

import { Suspense } from "react";
import { CreateDeploymentForm } from "@/components/deployments/create-deployment-form";
import { PageHeader } from "@/components/ui/page-header";
import { Spinner } from "@/components/ui/spinner";

export default function NewDeploymentPage() {
  return (
    <div className="max-w-4xl">
      <PageHeader crumbs={[{ label: "Deployments", href: "/deployments" }, { label: "Create deployment" }]} title="Create deployment" />
      <Suspense fallback={<Spinner className="text-slate-500" label="Loading…" />}>
        <CreateDeploymentForm />
      </Suspense>
    </div>
  );
}
