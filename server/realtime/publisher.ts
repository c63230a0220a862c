import type { Server } from "socket.io";

export type LogLineMessage = {
  seq: number;
  hostId: string;
  targetId: string;
  event: string;
  stream: "stdout" | "stderr" | "system";
  text: string;
  at: number; // epoch milliseconds
};

/** What the engine announces; each message goes to the socket.io room `deployment:<id>`. */
export type Publisher = {
  deployment(deploymentId: string, message: { status: string; errorCode?: string | null; errorMessage?: string | null }): void;
  target(deploymentId: string, message: { targetId: string; hostId: string; status: string }): void;
  lifecycle(
    deploymentId: string,
    message: { targetId: string; hostId: string; lifecycleEventName: string; status: string },
  ): void;
  logs(deploymentId: string, lines: LogLineMessage[]): void;
};

export const deploymentRoom = (deploymentId: string) => `deployment:${deploymentId}`;

export function socketPublisher(io: Server): Publisher {
  const emit = (id: string, event: string, payload: object) => io.to(deploymentRoom(id)).emit(event, { deploymentId: id, ...payload });
  return {
    deployment: (id, m) => emit(id, "deployment", m),
    target: (id, m) => emit(id, "target", m),
    lifecycle: (id, m) => emit(id, "lifecycle", m),
    logs: (id, lines) => emit(id, "log", { lines }),
  };
}

/** For tests and tools that run the engine without a socket server. */
export function collectingPublisher() {
  const messages: { kind: string; deploymentId: string; payload: unknown }[] = [];
  const publisher: Publisher = {
    deployment: (deploymentId, payload) => messages.push({ kind: "deployment", deploymentId, payload }),
    target: (deploymentId, payload) => messages.push({ kind: "target", deploymentId, payload }),
    lifecycle: (deploymentId, payload) => messages.push({ kind: "lifecycle", deploymentId, payload }),
    logs: (deploymentId, payload) => messages.push({ kind: "logs", deploymentId, payload }),
  };
  return { publisher, messages };
}
