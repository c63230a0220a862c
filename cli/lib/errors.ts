/**
 * The CLI's failures and their exit codes, as the aws CLI uses them: 252 for a command line it
 * cannot parse, 255 for an error from the service (or no service at all), 1 for anything else.
 */
export const EXIT = { OK: 0, ERROR: 1, USAGE: 252, SERVICE: 255 } as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.ERROR,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** A bad or missing option; printed after the command's usage line. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT.USAGE);
    this.name = "UsageError";
  }
}

/** An error the server answered with; printed like the aws CLI prints a service exception. */
export class ServiceError extends CliError {
  constructor(
    readonly exception: string,
    message: string,
    /** Set when one command calls several operations (push: PutObject, then RegisterApplicationRevision). */
    readonly operation?: string,
  ) {
    super(message, EXIT.SERVICE);
    this.name = "ServiceError";
  }

  describe(operation: string): string {
    return `An error occurred (${this.exception}) when calling the ${this.operation ?? operation} operation: ${this.message}`;
  }
}

export const notSignedIn = () => new CliError("Not signed in: run `slipway login` or set SLIPWAY_TOKEN", EXIT.SERVICE);
