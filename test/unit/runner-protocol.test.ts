import { describe, expect, it } from "vitest";
import { resultLines, streamDemux } from "../../server/host/runner";

const M = "@@slipway-0123456789abcdef@@";

/** Feeds the chunks to a demux and records what it hands on, in order. */
function demux(chunks: string[]) {
  const events: (string | number)[] = [];
  const push = streamDemux(
    M,
    (c) => events.push(c.toString("utf8")),
    (code) => events.push(code),
  );
  for (const c of chunks) push(Buffer.from(c, "utf8"));
  return events;
}

describe("runner stream demux", () => {
  it("hands a block exactly what came before its marker, then the exit code", () => {
    expect(demux([`line 1\nline 2\n${M} done 0\n`])).toEqual(["line 1\nline 2\n", 0]);
  });

  it("keeps a last line without a newline as it was (the marker needs no line of its own)", () => {
    expect(demux([`partial${M} done 3\n`])).toEqual(["partial", 3]);
  });

  it("finds a marker cut across chunks anywhere, without holding back ordinary output", () => {
    const all = `a\nb\n${M} done 17\nnext block\n${M} done 0\n`;
    for (let cut = 1; cut < all.length; cut++) {
      const events = demux([all.slice(0, cut), all.slice(cut)]);
      const text = events.filter((e) => typeof e === "string").join("");
      expect(text).toBe("a\nb\nnext block\n");
      expect(events.filter((e) => typeof e === "number")).toEqual([17, 0]);
      // The first block's output is never attributed after its end.
      const firstDone = events.indexOf(17);
      expect(events.slice(0, firstDone).join("")).toBe("a\nb\n");
    }
  });

  it("passes a complete line on at once, so a hook's output streams while it runs", () => {
    expect(demux(["before-1\n"])).toEqual(["before-1\n"]);
  });

  it("holds back only a tail that could be the start of a marker", () => {
    expect(demux([`x@@slip`])).toEqual(["x"]);
    expect(demux([`x@@slip`, `per\n`])).toEqual(["x", "@@slipper\n"]);
  });
});

describe("result lines", () => {
  it("keeps only lines behind the runner's marker, whatever else was written to stdout", () => {
    const stdout = [`${M} r dir /opt/x`, "noise r k d", `junk ${M} r k f`, `${M} r k -`, ""].join("\n");
    expect(resultLines(M, stdout)).toEqual(["dir /opt/x", "k -"]);
  });
});
