import { TRPCClientError } from "@trpc/client";

export type FormErrors = {
  /** Messages per input field (top-level input keys, as zod's flatten() reports them). */
  fields: Record<string, string>;
  /** A message for the form as a whole, when the error is not about one field. */
  message: string | null;
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

export function errorCode(error: unknown): string | null {
  if (error instanceof TRPCClientError && isRecord(error.data) && typeof error.data.code === "string") {
    return error.data.code;
  }
  return null;
}

export const isUnauthorized = (error: unknown) => errorCode(error) === "UNAUTHORIZED";

/** Splits a tRPC error into field messages (data.zodError / data.field) and a readable form message. */
export function toFormErrors(error: unknown): FormErrors {
  if (!error) return { fields: {}, message: null };
  const fields: Record<string, string> = {};
  let formMessages: string[] = [];
  if (error instanceof TRPCClientError && isRecord(error.data)) {
    const zodError = error.data.zodError;
    if (isRecord(zodError)) {
      if (isRecord(zodError.fieldErrors)) {
        for (const [key, value] of Object.entries(zodError.fieldErrors)) {
          if (Array.isArray(value) && typeof value[0] === "string") fields[key] = value[0];
        }
      }
      if (Array.isArray(zodError.formErrors)) formMessages = zodError.formErrors.filter((m) => typeof m === "string");
      const hasAny = Object.keys(fields).length > 0 || formMessages.length > 0;
      if (hasAny) return { fields, message: formMessages.length ? formMessages.join(" ") : null };
    }
    if (typeof error.data.field === "string") {
      fields[error.data.field] = error.message;
      return { fields, message: null };
    }
  }
  return { fields, message: readableMessage(error) };
}

export function readableMessage(error: unknown): string {
  if (error instanceof TRPCClientError && isRecord(error.data) && isRecord(error.data.zodError)) {
    const { fieldErrors, formErrors } = error.data.zodError;
    const parts: string[] = [];
    if (Array.isArray(formErrors)) parts.push(...formErrors.filter((m): m is string => typeof m === "string"));
    if (isRecord(fieldErrors)) {
      for (const [key, value] of Object.entries(fieldErrors)) {
        if (Array.isArray(value) && typeof value[0] === "string") parts.push(`${key}: ${value[0]}`);
      }
    }
    if (parts.length) return parts.join("; ");
  }
  if (error instanceof Error) {
    if (error.message === "Failed to fetch") return "Cannot reach the Slipway server. Check that it is running.";
    return error.message || "Something went wrong.";
  }
  return "Something went wrong.";
}
