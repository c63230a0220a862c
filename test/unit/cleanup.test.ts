import { describe, expect, it } from "vitest";
import { parseCleanupFile, renderCleanupLines } from "@/server/appspec/cleanup";

describe("cleanup file", () => {
  it("reads one path per line, in install order", () => {
    expect(parseCleanupFile("/opt/app\n/opt/app/a.txt\n/opt/app/b c.txt\n")).toEqual([
      "/opt/app",
      "/opt/app/a.txt",
      "/opt/app/b c.txt",
    ]);
  });

  it("ignores a torn last line: the install died while writing it", () => {
    expect(parseCleanupFile("/opt/app\n/opt/app/a.txt\n/opt/app/half-writ")).toEqual(["/opt/app", "/opt/app/a.txt"]);
    expect(parseCleanupFile("/opt/app")).toEqual([]);
  });

  it("ignores empty lines and an empty file", () => {
    expect(parseCleanupFile("")).toEqual([]);
    expect(parseCleanupFile("\n\n/opt/app\n\n")).toEqual(["/opt/app"]);
  });

  it("renders lines that read back the same, every line newline-terminated", () => {
    const paths = ["/opt/app", "/opt/app/x y.txt"];
    expect(renderCleanupLines(paths)).toBe("/opt/app\n/opt/app/x y.txt\n");
    expect(parseCleanupFile(renderCleanupLines(paths))).toEqual(paths);
    expect(renderCleanupLines([])).toBe("");
    expect(() => renderCleanupLines(["/a\nb"])).toThrow(/newline/);
  });
});
