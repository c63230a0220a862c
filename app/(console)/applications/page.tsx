"use client";

import { ApplicationsView } from "@/components/applications/applications-view";

export default function ApplicationsPage() {
  return <ApplicationsView />;
}
