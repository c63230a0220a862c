import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { createApplication, deleteApplication, getApplication, listApplications } from "../../services/applications";
import { Name } from "../inputs";
import { protectedProcedure } from "../trpc";

const ApplicationName = z.object({ applicationName: z.string().min(1, "Application name is required") });

export const applicationsRouter = {
  list: protectedProcedure.query(({ ctx }) => listApplications(ctx.app)),
  get: protectedProcedure.input(ApplicationName).query(({ ctx, input }) => getApplication(ctx.app, input.applicationName)),
  create: protectedProcedure
    .input(z.object({ applicationName: Name("Application name"), computePlatform: z.literal("Server").default("Server") }))
    .mutation(({ ctx, input }) => createApplication(ctx.app, input)),
  remove: protectedProcedure.input(ApplicationName).mutation(({ ctx, input }) => deleteApplication(ctx.app, input.applicationName)),
} satisfies TRPCRouterRecord;
