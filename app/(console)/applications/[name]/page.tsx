"use client";

import { Suspense } from "react";
import { ApplicationDetails } from "@/components/applications/application-details";
import { useParam } from "@/components/lib/use-param";

export default function ApplicationPage() {
  const applicationName = useParam("name");
  return (
    <Suspense>
      <ApplicationDetails applicationName={applicationName} />
    </Suspense>
  );
}
