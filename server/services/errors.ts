/**
 * Domain errors with CodeDeploy's exception names, so the tRPC layer, the CLI and (later) the
 * CodeDeploy JSON API can all map one error to their own shape.
 */
export type DomainErrorCode =
  | "NOT_FOUND"
  | "CONFLICT"
  | "BAD_REQUEST"
  | "PRECONDITION_FAILED"
  | "UNAUTHORIZED";

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    /** CodeDeploy's exception name, e.g. "DeploymentLimitExceededException". */
    readonly exception: string,
    message: string,
    /** The input field the error is about, for forms. */
    readonly field?: string,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const notFound = (exception: string, message: string) => new DomainError("NOT_FOUND", exception, message);
export const conflict = (exception: string, message: string, field?: string) =>
  new DomainError("CONFLICT", exception, message, field);
export const invalid = (exception: string, message: string, field?: string) =>
  new DomainError("BAD_REQUEST", exception, message, field);
