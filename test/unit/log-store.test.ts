import { describe, expect, it } from "vitest";
import { LogStore, eventKey, type LogSnapshot } from "../../components/lib/log-store";
import type { LogLine } from "../../components/lib/trpc";

const line = (seq: number, event = "BeforeInstall", targetId = "web-1"): LogLine => ({
  seq,
  hostId: "h",
  targetId,
  event,
  stream: "stdout",
  text: `line ${seq}`,
  at: seq,
});
const seqs = (s: LogSnapshot) => s.all.map((l) => l.seq);

function store() {
  let last: LogSnapshot = { all: [], byEvent: new Map(), highestSeq: -1 };
  const s = new LogStore((snap) => (last = snap));
  return { s, last: () => last };
}

describe("the console's live log", () => {
  it("holds live lines until the backlog arrives, then shows each line once, in order", () => {
    const { s, last } = store();
    s.receive([line(4), line(5)]); // live, while the backlog is still loading
    expect(seqs(last())).toEqual([]);
    s.completeSync([line(1), line(2), line(3), line(4)]);
    expect(seqs(last())).toEqual([1, 2, 3, 4, 5]);
  });

  it("ignores live lines it already has, and fills a reconnect's gap from the fetch", () => {
    const { s, last } = store();
    s.completeSync([line(1), line(2)]);
    s.receive([line(2), line(3)]);
    expect(seqs(last())).toEqual([1, 2, 3]);
    s.beginSync(); // the socket dropped and came back
    s.receive([line(7)]);
    s.completeSync([line(4), line(5), line(6)]); // logs({ afterSeq: 3 })
    expect(seqs(last())).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(last().highestSeq).toBe(7);
  });

  it("groups lines per host and lifecycle event, with a new array only for the events that grew", () => {
    const { s, last } = store();
    s.completeSync([line(1, "BeforeInstall"), line(2, "Install"), line(3, "BeforeInstall", "web-2")]);
    const before = last();
    s.receive([line(4, "Install")]);
    const after = last();
    expect(after.byEvent.get(eventKey("web-1", "Install"))!.map((l) => l.seq)).toEqual([2, 4]);
    expect(after.byEvent.get(eventKey("web-1", "BeforeInstall"))).toBe(before.byEvent.get(eventKey("web-1", "BeforeInstall")));
    expect(after.byEvent.get(eventKey("web-1", "Install"))).not.toBe(before.byEvent.get(eventKey("web-1", "Install")));
  });
});
