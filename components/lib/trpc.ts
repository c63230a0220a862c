import { createTRPCContext } from "@trpc/tanstack-react-query";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type Host = RouterOutputs["hosts"]["list"][number];
export type DeploymentInfo = RouterOutputs["deployments"]["get"]["deploymentInfo"];
export type DeploymentTarget = RouterOutputs["deployments"]["targets"][number];
export type LifecycleEvent = DeploymentTarget["lifecycleEvents"][number];
export type LogLine = RouterOutputs["deployments"]["logs"][number];
export type TagFilter = RouterOutputs["deploymentGroups"]["list"][number]["onPremisesTagFilters"][number];
export type FileExistsBehavior = "DISALLOW" | "OVERWRITE" | "RETAIN";
export type BundleType = "zip" | "tar" | "tgz";
