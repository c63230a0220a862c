import type { CliEnv } from "./env";

export type OptionSpec = {
  type: "string" | "boolean";
  /** Repeatable, and like the aws CLI also `--opt a b c` (values up to the next option). */
  multiple?: boolean;
  required?: boolean;
  /** Shown in usage: `--port <value>`. */
  placeholder?: string;
  description: string;
};
export type OptionSpecs = Record<string, OptionSpec>;

type ValueOf<S extends OptionSpec> = S["type"] extends "boolean"
  ? boolean | undefined
  : S["multiple"] extends true
    ? string[] | undefined
    : string | undefined;
export type OptionValues<O extends OptionSpecs> = { [K in keyof O]: ValueOf<O[K]> };

export type Command<O extends OptionSpecs> = {
  /** `create-deployment`, or `wait deployment-successful`. */
  name: string;
  /** CodeDeploy's operation name, for "when calling the <Operation> operation". */
  operation: string;
  summary: string;
  options: O;
  /** Options that need at least one of them (e.g. a filter under either of its names). */
  oneOf?: (keyof O & string)[][];
  run(values: OptionValues<O>, env: CliEnv): Promise<number | void>;
};

/** Keeps each command's option names typed inside its run(). */
export const defineCommand = <O extends OptionSpecs>(command: Command<O>): Command<O> => command;

/** Any command, its option names erased: what the registry and the parser handle. */
export type AnyCommand = Omit<Command<OptionSpecs>, "run" | "oneOf"> & {
  oneOf?: string[][];
  run(values: Record<string, string | string[] | boolean | undefined>, env: CliEnv): Promise<number | void>;
};
