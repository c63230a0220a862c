import type { RouterOutputs } from "@/components/lib/trpc";
import { Badge, type Tone } from "@/components/ui/badge";

export type Alarm = RouterOutputs["alarms"]["list"][number];
export type AlarmState = Alarm["state"];

const TONES: Record<AlarmState, Tone> = { OK: "green", ALARM: "red", INSUFFICIENT_DATA: "grey" };
const LABELS: Record<AlarmState, string> = { OK: "OK", ALARM: "In alarm", INSUFFICIENT_DATA: "Insufficient data" };

/** OK green, ALARM red, INSUFFICIENT_DATA grey, as CloudWatch shows alarm states. */
export function AlarmStateBadge({ state, testId }: { state: AlarmState; testId?: string }) {
  return (
    <Badge tone={TONES[state]} data-testid={testId} data-status={state}>
      {LABELS[state]}
    </Badge>
  );
}

/** "HTTP 200" or "Command", then what is checked. */
export function alarmTarget(a: Pick<Alarm, "type" | "url" | "command" | "expectedStatus" | "bodyContains">): string {
  if (a.type === "http") return `GET ${a.url ?? ""} → ${a.expectedStatus}${a.bodyContains ? ` containing "${a.bodyContains}"` : ""}`;
  return a.command ?? "";
}
