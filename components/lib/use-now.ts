"use client";

import { useEffect, useState } from "react";

/** The current time, ticking every `ms` while `active` (for durations of running work). */
export function useNow(active: boolean, ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const tick = () => setNow(Date.now());
    const first = setTimeout(tick, 0); // catch up at once after a pause
    const id = setInterval(tick, ms);
    return () => { clearTimeout(first); clearInterval(id); };
  }, [active, ms]);
  return now;
}

const ACTIVE_DEPLOYMENT = new Set(["Created", "Queued", "InProgress", "Ready", "Baking"]);
export const isActiveStatus = (status: string) => ACTIVE_DEPLOYMENT.has(status);
