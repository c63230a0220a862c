import { Badge, type Tone } from "./badge";

/**
 * One colour per status everywhere: Succeeded green, Failed red, InProgress blue, Stopped grey,
 * Skipped muted, Pending/Created/Queued neutral. Host reachability uses the same palette.
 */
const STATUS_TONES: Record<string, Tone> = {
  Succeeded: "green",
  Failed: "red",
  InProgress: "blue",
  Stopped: "grey",
  Skipped: "muted",
  Pending: "neutral",
  Created: "neutral",
  Queued: "neutral",
  Ready: "neutral",
  Unknown: "neutral",
  Online: "green",
  Unreachable: "red",
  HostKeyMismatch: "red",
  Untrusted: "amber",
};

const LABELS: Record<string, string> = {
  InProgress: "In progress",
  HostKeyMismatch: "Host key mismatch",
};

export const statusLabel = (status: string) => LABELS[status] ?? status;

function statusTone(status: string): Tone {
  return STATUS_TONES[status] ?? "neutral";
}

export function StatusBadge({ status, testId }: { status: string; testId?: string }) {
  return (
    <Badge tone={statusTone(status)} data-testid={testId} data-status={status}>
      {statusLabel(status)}
    </Badge>
  );
}
