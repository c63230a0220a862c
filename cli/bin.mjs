#!/usr/bin/env node
// The `slipway` command. tsx compiles the TypeScript sources on the fly; everything past
// argument parsing is imported lazily, so `slipway --help` starts quickly.
import { register } from "tsx/esm/api";

register();
const { main } = await import("./main.ts");
const code = await main(process.argv.slice(2));
process.exitCode = code;
// Idle keep-alive sockets or a closing websocket must not hold the exit back; an unref'd timer
// only fires if something else still keeps the process alive.
setTimeout(() => process.exit(code), 50).unref();
