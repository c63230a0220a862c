import { helpText, parseCommandArgs, usageLine } from "./lib/args";
import type { AnyCommand } from "./lib/command";
import { createEnv } from "./lib/env";
import { CliError, EXIT, ServiceError, UsageError } from "./lib/errors";

/**
 * `slipway <command> [options]`: finds the command, parses its options, runs it and turns any
 * failure into the aws CLI's message and exit code. Command modules load on demand, and they load
 * the tRPC and socket.io clients only when they talk to the server, so `--help` stays instant.
 */
type Loader = () => Promise<AnyCommand>;
const hosts = () => import("./commands/hosts");
const apps = () => import("./commands/applications");
const groups = () => import("./commands/deployment-groups");
const deployments = () => import("./commands/deployments");

export const COMMANDS: Record<string, Loader> = {
  login: () => import("./commands/auth").then((m) => m.login),
  logout: () => import("./commands/auth").then((m) => m.logout),
  "register-host": () => hosts().then((m) => m.registerHost),
  "list-hosts": () => hosts().then((m) => m.listHosts),
  "get-host": () => hosts().then((m) => m.getHost),
  "trust-host": () => hosts().then((m) => m.trustHost),
  "deregister-host": () => hosts().then((m) => m.deregisterHost),
  "create-application": () => apps().then((m) => m.createApplication),
  "get-application": () => apps().then((m) => m.getApplication),
  "list-applications": () => apps().then((m) => m.listApplications),
  "delete-application": () => apps().then((m) => m.deleteApplication),
  "list-application-revisions": () => apps().then((m) => m.listApplicationRevisions),
  "create-deployment-group": () => groups().then((m) => m.createDeploymentGroup),
  "update-deployment-group": () => groups().then((m) => m.updateDeploymentGroup),
  "get-deployment-group": () => groups().then((m) => m.getDeploymentGroup),
  "list-deployment-groups": () => groups().then((m) => m.listDeploymentGroups),
  "delete-deployment-group": () => groups().then((m) => m.deleteDeploymentGroup),
  push: () => import("./commands/push").then((m) => m.push),
  "create-deployment": () => deployments().then((m) => m.createDeployment),
  "get-deployment": () => deployments().then((m) => m.getDeployment),
  "stop-deployment": () => deployments().then((m) => m.stopDeployment),
  "list-deployments": () => deployments().then((m) => m.listDeployments),
  "list-deployment-targets": () => deployments().then((m) => m.listDeploymentTargets),
  "get-deployment-target": () => deployments().then((m) => m.getDeploymentTarget),
  "wait deployment-successful": () => import("./commands/wait").then((m) => m.waitDeploymentSuccessful),
  logs: () => import("./commands/logs").then((m) => m.logs),
};

const GENERAL_USAGE = "usage: slipway [--endpoint-url <url>] <command> [parameters]";

async function overview(): Promise<string> {
  const commands = await Promise.all(Object.values(COMMANDS).map((load) => load()));
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    "slipway: the command line for Slipway, a self-hosted CodeDeploy.",
    "",
    GENERAL_USAGE,
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Server: --endpoint-url, or $SLIPWAY_URL (default http://localhost:3000).",
    "Token: `slipway login`, or $SLIPWAY_TOKEN.",
    "Run `slipway <command> --help` for a command's options.",
    "",
  ].join("\n");
}

/** Splits `[globals] <command> [<waiter>] [options]` into the command's name and its arguments. */
function findCommand(argv: string[]): { name: string | null; rest: string[] } {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--endpoint-url") {
      i++;
      continue;
    }
    if (arg.startsWith("-")) continue;
    const rest = [...argv.slice(0, i), ...argv.slice(i + 1)];
    if (arg === "wait" && i + 1 < argv.length && !argv[i + 1].startsWith("-"))
      return { name: `wait ${argv[i + 1]}`, rest: [...argv.slice(0, i), ...argv.slice(i + 2)] };
    if (arg === "help") return { name: argv[i + 1] ? `${argv[i + 1]}` : null, rest: ["--help"] };
    return { name: arg, rest };
  }
  return { name: null, rest: argv };
}

function writeErr(text: string) {
  process.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
}

function usageFailure(usage: string, message: string, helpHint: string): number {
  writeErr(`${usage}\nTo see help text, run: ${helpHint}\n\nslipway: error: ${message}`);
  return EXIT.USAGE;
}

export async function main(argv: string[]): Promise<number> {
  const { name, rest } = findCommand(argv);
  if (!name) {
    if (rest.includes("--help") || argv.length === 0) {
      process.stdout.write(await overview());
      return argv.length === 0 ? EXIT.USAGE : EXIT.OK;
    }
    return usageFailure(GENERAL_USAGE, "the following arguments are required: command", "slipway --help");
  }
  const load = COMMANDS[name];
  if (!load) {
    const choices = Object.keys(COMMANDS).filter((c) => c.includes(name) || name.includes(c.split(" ")[0]));
    const hint = choices.length ? `\n\nDid you mean: ${choices.slice(0, 5).join(", ")}?` : "";
    return usageFailure(GENERAL_USAGE, `argument command: Invalid choice: '${name}'${hint}`, "slipway --help");
  }
  const command = await load();
  let endpoint = "";
  try {
    const { values, globals } = parseCommandArgs(command, rest);
    if (globals.help) {
      process.stdout.write(helpText(command));
      return EXIT.OK;
    }
    const env = createEnv(globals["endpoint-url"]);
    endpoint = env.endpoint;
    return (await command.run(values, env)) ?? EXIT.OK;
  } catch (err) {
    if (err instanceof UsageError) return usageFailure(usageLine(command), err.message, `slipway ${command.name} --help`);
    const known = err instanceof CliError ? err : (await import("./lib/client")).toCliError(err, endpoint);
    if (known instanceof ServiceError) {
      writeErr(known.describe(command.operation));
      return known.exitCode;
    }
    if (known) {
      writeErr(known.message);
      return known.exitCode;
    }
    writeErr(`slipway: ${err instanceof Error ? err.message : String(err)}`);
    return EXIT.ERROR;
  }
}
