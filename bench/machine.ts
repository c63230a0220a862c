// What the figures were measured on, printed with them: they mean little without the machine.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import { shq } from "../server/lib/shell";
import { round } from "./stats";

export function machineFacts() {
  const cpuinfo = fs.existsSync("/proc/cpuinfo") ? fs.readFileSync("/proc/cpuinfo", "utf8") : "";
  const cpuModel = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? "unknown";
  // `ssh -V` prints its version on stderr.
  const v = spawnSync("ssh", ["-V"], { encoding: "utf8" });
  const openssh = `${v.stderr ?? ""}${v.stdout ?? ""}`.trim() || "unknown";
  return {
    cpuModel,
    cores: os.cpus().length,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    openssh,
    kernel: `${os.type()} ${os.release()} ${os.arch()}`,
    /** 1-minute load average when the bench started and ended: other work on the machine. */
    loadAverage: { start: round(os.loadavg()[0], 2), end: NaN },
  };
}
export type Machine = ReturnType<typeof machineFacts>;

/** Whether a program is on PATH. */
export function hasProgram(name: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${shq(name)}`], { stdio: "ignore" }).status === 0;
}
