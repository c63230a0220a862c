import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import {
  createDeploymentGroup,
  deleteDeploymentGroup,
  getDeploymentGroup,
  listDeploymentGroups,
  matchingHosts,
  updateDeploymentGroup,
} from "../../services/deployment-groups";
import { AlarmConfiguration, AutoRollbackConfiguration, BakeTimeSeconds, FileExistsBehavior, Name, TagFilter } from "../inputs";
import { protectedProcedure } from "../trpc";

const GroupRef = z.object({ applicationName: z.string().min(1), deploymentGroupName: z.string().min(1) });

export const deploymentGroupsRouter = {
  list: protectedProcedure
    .input(z.object({ applicationName: z.string().min(1) }))
    .query(({ ctx, input }) => listDeploymentGroups(ctx.app, input.applicationName)),
  get: protectedProcedure.input(GroupRef).query(({ ctx, input }) => getDeploymentGroup(ctx.app, input.applicationName, input.deploymentGroupName)),
  create: protectedProcedure
    .input(
      z.object({
        applicationName: z.string().min(1),
        deploymentGroupName: Name("Deployment group name"),
        onPremisesTagFilters: z.array(TagFilter).max(10).default([]),
        deploymentConfigName: z.string().optional(),
        fileExistsBehavior: FileExistsBehavior.optional(),
        autoRollbackConfiguration: AutoRollbackConfiguration.optional(),
        alarmConfiguration: AlarmConfiguration.optional(),
        bakeTimeSeconds: BakeTimeSeconds.optional(),
      }),
    )
    .mutation(({ ctx, input }) => createDeploymentGroup(ctx.app, input)),
  update: protectedProcedure
    .input(
      z.object({
        applicationName: z.string().min(1),
        currentDeploymentGroupName: z.string().min(1),
        newDeploymentGroupName: Name("Deployment group name").optional(),
        onPremisesTagFilters: z.array(TagFilter).max(10).optional(),
        deploymentConfigName: z.string().optional(),
        fileExistsBehavior: FileExistsBehavior.optional(),
        autoRollbackConfiguration: AutoRollbackConfiguration.optional(),
        alarmConfiguration: AlarmConfiguration.optional(),
        bakeTimeSeconds: BakeTimeSeconds.optional(),
      }),
    )
    .mutation(({ ctx, input }) => updateDeploymentGroup(ctx.app, input)),
  remove: protectedProcedure.input(GroupRef).mutation(({ ctx, input }) => deleteDeploymentGroup(ctx.app, input.applicationName, input.deploymentGroupName)),
  matchingHosts: protectedProcedure
    .input(z.object({ onPremisesTagFilters: z.array(TagFilter).max(10) }))
    .query(({ ctx, input }) => matchingHosts(ctx.app, input.onPremisesTagFilters)),
} satisfies TRPCRouterRecord;
