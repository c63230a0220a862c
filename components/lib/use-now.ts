"use client";

import { useEffect, useState } from "react";

/** The current time, ticking every `ms` while `active` (for durations of running work). */
export function useNow(active: boolean, ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [active, ms]);
  return now;
}

export const ACTIVE_DEPLOYMENT = new Set(["Created", "Queued", "InProgress", "Ready", "Baking"]);
export const isActiveStatus = (status: string) => ACTIVE_DEPLOYMENT.has(status);
