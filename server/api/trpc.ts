import type { IncomingMessage, ServerResponse } from "node:http";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import type { AppContext } from "../context";
import { tokenFromHeaders, userForToken, type SessionUser } from "../services/auth";
import { DomainError } from "../services/errors";

export type TrpcContext = {
  app: AppContext;
  user: SessionUser | null;
  token: string | null;
  req?: IncomingMessage;
  res?: ServerResponse;
};

export async function createTrpcContext(app: AppContext, req?: IncomingMessage, res?: ServerResponse): Promise<TrpcContext> {
  const token = req ? tokenFromHeaders({ authorization: req.headers.authorization, cookie: req.headers.cookie }) : null;
  return { app, user: await userForToken(app.db, token), token, req, res };
}

const t = initTRPC.context<TrpcContext>().create({
  transformer: superjson,
  // Stack traces only in development; a production error says what is wrong, not where.
  isDev: process.env.NODE_ENV === "development",
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    return {
      ...shape,
      data: {
        ...shape.data,
        // Forms show these under their fields; the CLI prints `exception: message`.
        zodError: cause instanceof ZodError ? cause.flatten() : null,
        exception: cause instanceof DomainError ? cause.exception : null,
        field: cause instanceof DomainError ? (cause.field ?? null) : null,
      },
    };
  },
});

const CODES = {
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  BAD_REQUEST: "BAD_REQUEST",
  PRECONDITION_FAILED: "PRECONDITION_FAILED",
  UNAUTHORIZED: "UNAUTHORIZED",
} as const;

/** Domain errors become tRPC errors with their message; anything else stays an internal error. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DomainError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: CODES[cause.code], message: cause.message, cause });
  }
  return result;
});

export const router = t.router;
export const publicProcedure = t.procedure.use(mapErrors);
export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first (console) or run `slipway login` (CLI)." });
  return next({ ctx: { ...ctx, user: ctx.user } });
});
export const createCallerFactory = t.createCallerFactory;
