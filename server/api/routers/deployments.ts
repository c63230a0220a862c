import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import {
  createDeployment,
  deploymentLogs,
  deploymentTimeline,
  getDeployment,
  getDeploymentTarget,
  listDeployments,
  listDeploymentTargets,
  redeploy,
  stopDeployment,
} from "../../services/deployments";
import { AlarmConfiguration, AutoRollbackConfiguration, DeploymentId, FileExistsBehavior, S3Location } from "../inputs";
import { protectedProcedure } from "../trpc";

export const CreateDeploymentInput = z.object({
  applicationName: z.string().min(1, "Application is required"),
  deploymentGroupName: z.string().min(1, "Deployment group is required"),
  revision: S3Location,
  description: z.string().max(1000).optional(),
  fileExistsBehavior: FileExistsBehavior.optional(),
  ignoreApplicationStopFailures: z.boolean().optional(),
  autoRollbackConfiguration: AutoRollbackConfiguration.optional(),
  overrideAlarmConfiguration: AlarmConfiguration.optional(),
});
export type CreateDeploymentInput = z.infer<typeof CreateDeploymentInput>;

const Id = z.object({ deploymentId: DeploymentId });

export const deploymentsRouter = {
  create: protectedProcedure.input(CreateDeploymentInput).mutation(({ ctx, input }) => createDeployment(ctx.app, input)),
  get: protectedProcedure.input(Id).query(({ ctx, input }) => getDeployment(ctx.app, input.deploymentId)),
  list: protectedProcedure
    .input(z.object({ applicationName: z.string().optional(), deploymentGroupName: z.string().optional(), limit: z.number().int().min(1).max(1000).optional() }).default({}))
    .query(({ ctx, input }) => listDeployments(ctx.app, input)),
  targets: protectedProcedure.input(Id).query(({ ctx, input }) => listDeploymentTargets(ctx.app, input.deploymentId)),
  target: protectedProcedure
    .input(Id.extend({ targetId: z.string().min(1) }))
    .query(({ ctx, input }) => getDeploymentTarget(ctx.app, input.deploymentId, input.targetId)),
  logs: protectedProcedure
    .input(Id.extend({ afterSeq: z.number().int().min(0).optional() }))
    .query(({ ctx, input }) => deploymentLogs(ctx.app, input)),
  timeline: protectedProcedure.input(Id).query(({ ctx, input }) => deploymentTimeline(ctx.app, input.deploymentId)),
  stop: protectedProcedure
    .input(Id.extend({ autoRollbackEnabled: z.boolean().optional() }))
    .mutation(({ ctx, input }) => stopDeployment(ctx.app, input)),
  redeploy: protectedProcedure
    .input(Id.extend({ description: z.string().max(1000).optional() }))
    .mutation(({ ctx, input }) => redeploy(ctx.app, input)),
} satisfies TRPCRouterRecord;
