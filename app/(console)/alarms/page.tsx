"use client";

import { AlarmsView } from "@/components/alarms/alarms-view";

export default function AlarmsPage() {
  return <AlarmsView />;
}
