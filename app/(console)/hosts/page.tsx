"use client";

import { HostsView } from "@/components/hosts/hosts-view";

export default function HostsPage() {
  return <HostsView />;
}
