import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { listRevisions, registerRevision } from "../../services/revisions";
import { S3Location } from "../inputs";
import { protectedProcedure } from "../trpc";

export const revisionsRouter = {
  list: protectedProcedure.input(z.object({ applicationName: z.string().min(1) })).query(({ ctx, input }) => listRevisions(ctx.app, input.applicationName)),
  register: protectedProcedure
    .input(z.object({ applicationName: z.string().min(1), s3Location: S3Location, description: z.string().max(1000).optional() }))
    .mutation(({ ctx, input }) => registerRevision(ctx.app, input)),
} satisfies TRPCRouterRecord;
