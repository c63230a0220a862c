/** A time as the API sends it: Date (superjson), epoch seconds (CodeDeploy-shaped), or ISO text. */
export type TimeValue = Date | number | string | null | undefined;

export function toMillis(value: TimeValue): number | null {
  if (value === null || value === undefined || value === "") return null;
  if (value instanceof Date) return value.getTime();
  // CodeDeploy timestamps are epoch seconds with a millisecond fraction.
  if (typeof value === "number") return value * 1000;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? null : parsed;
}

const dateTime = new Intl.DateTimeFormat("en-US", {
  month: "short", day: "numeric", year: "numeric",
  hour: "numeric", minute: "2-digit", second: "2-digit",
});
const clock = new Intl.DateTimeFormat("en-US", { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });

export function formatTime(value: TimeValue): string {
  const ms = toMillis(value);
  return ms === null ? "-" : dateTime.format(ms);
}

const monthDay = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
const monthDayYear = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

/** "Nov 26, 14:05" for tables (the year only when it is not this year); pair with formatTime as a title. */
export function formatShortTime(value: TimeValue): string {
  const ms = toMillis(value);
  if (ms === null) return "-";
  return (new Date(ms).getFullYear() === new Date().getFullYear() ? monthDay : monthDayYear).format(ms);
}

export function formatClock(value: TimeValue): string {
  const ms = toMillis(value);
  return ms === null ? "" : clock.format(ms);
}

/** "1 second", "3 seconds". */
export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** "1 hour 2 minutes", "3 minutes 4 seconds", "12 seconds", "<1 second". */
export function formatDurationMs(ms: number): string {
  if (ms < 0) ms = 0;
  const total = Math.floor(ms / 1000);
  if (total < 1) return "<1 second";
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return m > 0 ? `${plural(h, "hour")} ${plural(m, "minute")}` : plural(h, "hour");
  if (m > 0) return s > 0 ? `${plural(m, "minute")} ${plural(s, "second")}` : plural(m, "minute");
  return plural(s, "second");
}

/** "<1s", "45s", "3m 4s", "1h 2m": durations for narrow table columns. */
export function formatDurationShortMs(ms: number): string {
  const total = Math.floor(Math.max(ms, 0) / 1000);
  if (total < 1) return "<1s";
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  if (m > 0) return s > 0 ? `${m}m ${s}s` : `${m}m`;
  return `${s}s`;
}

/** Milliseconds between two times; an open end counts up to `now` (for running work). */
function spanMs(start: TimeValue, end: TimeValue, now?: number): number | null {
  const a = toMillis(start);
  const b = toMillis(end) ?? now ?? null;
  return a === null || b === null ? null : b - a;
}

/** Duration between two times; an open end counts up to `now` (for running work). */
export function formatDuration(start: TimeValue, end: TimeValue, now?: number): string {
  const ms = spanMs(start, end, now);
  return ms === null ? "-" : formatDurationMs(ms);
}

/** formatDuration, in formatDurationShortMs's words. */
export function formatDurationShort(start: TimeValue, end: TimeValue, now?: number): string {
  const ms = spanMs(start, end, now);
  return ms === null ? "-" : formatDurationShortMs(ms);
}

export function formatBytes(size: number | null | undefined): string {
  if (size === null || size === undefined) return "-";
  if (size < 1024) return `${size} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = size / 1024;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) { value /= 1024; i++; }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[i]}`;
}

export function s3Uri(loc: { bucket: string; key: string }): string {
  return `s3://${loc.bucket}/${loc.key}`;
}

/** Log lines carry epoch milliseconds (not seconds). */
export function formatLogClock(atMs: number): string {
  return clock.format(atMs);
}
