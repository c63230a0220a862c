import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { login, logout, SESSION_COOKIE } from "../../services/auth";
import { protectedProcedure, publicProcedure } from "../trpc";

function sessionCookie(value: string, maxAgeSeconds: number, secure: boolean) {
  return `${SESSION_COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure ? "; Secure" : ""}`;
}

export const authRouter = {
  /** Console sign-in sets an httpOnly cookie; the CLI asks for a token instead. */
  login: publicProcedure
    .input(z.object({ username: z.string().min(1, "Username is required"), password: z.string().min(1, "Password is required"), client: z.enum(["console", "cli"]).default("console") }))
    .mutation(async ({ ctx, input }) => {
      const s = await login(ctx.app.db, { username: input.username, password: input.password, kind: input.client });
      if (input.client === "cli") return { username: s.username, token: s.token, expiresAt: s.expiresAt };
      const secure = ctx.req?.headers["x-forwarded-proto"] === "https";
      ctx.res?.setHeader("Set-Cookie", sessionCookie(s.token, Math.floor((s.expiresAt.getTime() - Date.now()) / 1000), secure));
      return { username: s.username, token: null, expiresAt: s.expiresAt };
    }),
  logout: protectedProcedure.mutation(async ({ ctx }) => {
    if (ctx.token) await logout(ctx.app.db, ctx.token);
    ctx.res?.setHeader("Set-Cookie", sessionCookie("", 0, false));
    return { ok: true };
  }),
  me: protectedProcedure.query(({ ctx }) => ({ username: ctx.user.username })),
} satisfies TRPCRouterRecord;
