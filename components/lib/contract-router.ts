/**
 * Temporary stand-in for the backend's AppRouter (server/api/root.ts), written from the agreed
 * procedure contract so the console type-checks before the real router lands. Imported with
 * `import type` only, so nothing here reaches the browser bundle. Delete once root.ts exists.
 */
import { initTRPC } from "@trpc/server";
import superjson from "superjson";
import { z } from "zod";

const t = initTRPC.create({
  transformer: superjson,
  errorFormatter: ({ shape }) => ({
    ...shape,
    data: { ...shape.data, zodError: null as null | { formErrors: string[]; fieldErrors: Record<string, string[] | undefined> } },
  }),
});
const p = t.procedure;
const out = <T,>() => null as unknown as T;

type Tag = { Key: string; Value: string };
type TagFilter = { Key?: string; Value?: string; Type: "KEY_ONLY" | "VALUE_ONLY" | "KEY_AND_VALUE" };
type HostStatus = "Unknown" | "Online" | "Unreachable" | "HostKeyMismatch" | "Untrusted";
type Host = {
  id: string; name: string; address: string; port: number; username: string; agentRoot: string;
  fingerprint: string | null; tags: Tag[]; lastStatus: HostStatus; lastSeenAt: Date | null;
  lastError: string | null; createdAt: Date;
};
type BundleType = "zip" | "tar" | "tgz";
type S3Location = { bucket: string; key: string; bundleType: BundleType; eTag?: string };
type FileExistsBehavior = "DISALLOW" | "OVERWRITE" | "RETAIN";
type LogLine = {
  seq: number; hostId: string; targetId: string; event: string;
  stream: "stdout" | "stderr" | "system"; text: string; at: number;
};
type Diagnostics = { errorCode: string; scriptName: string; message: string; logTail: string };

const tagIn = z.object({ Key: z.string(), Value: z.string() });
const filterIn = z.object({ Key: z.string().optional(), Value: z.string().optional(), Type: z.enum(["KEY_ONLY", "VALUE_ONLY", "KEY_AND_VALUE"]) });
const app = z.object({ applicationName: z.string() });
const dep = z.object({ deploymentId: z.string() });

export const contractRouter = t.router({
  auth: t.router({
    login: p.input(z.object({ username: z.string(), password: z.string() })).mutation(() => out<{ username: string }>()),
    logout: p.mutation(() => out<{ ok: true }>()),
    me: p.query(() => out<{ username: string }>()),
  }),
  hosts: t.router({
    list: p.query(() => out<Host[]>()),
    register: p
      .input(z.object({ name: z.string(), address: z.string(), port: z.number(), username: z.string(), privateKey: z.string(), agentRoot: z.string().optional(), tags: z.array(tagIn).optional() }))
      .mutation(() => out<Host>()),
    update: p
      .input(z.object({ name: z.string(), address: z.string().optional(), port: z.number().optional(), username: z.string().optional(), privateKey: z.string().optional(), agentRoot: z.string().optional(), tags: z.array(tagIn).optional() }))
      .mutation(() => out<Host>()),
    remove: p.input(z.object({ name: z.string() })).mutation(() => out<{ ok: true }>()),
    testConnection: p.input(z.object({ name: z.string() })).mutation(() => out<{ fingerprint: string; pinned: string | null; matches: boolean; message: string }>()),
    trust: p.input(z.object({ name: z.string(), fingerprint: z.string() })).mutation(() => out<Host>()),
  }),
  applications: t.router({
    list: p.query(() => out<{ applicationName: string; computePlatform: "Server"; createTime: Date; deploymentGroupCount: number }[]>()),
    get: p.input(app).query(() => out<{ applicationName: string; computePlatform: "Server"; createTime: Date }>()),
    create: p.input(z.object({ applicationName: z.string(), computePlatform: z.literal("Server") })).mutation(() => out<{ applicationId: string }>()),
    remove: p.input(app).mutation(() => out<{ ok: true }>()),
  }),
  deploymentGroups: t.router({
    list: p.input(app).query(() => out<{
      deploymentGroupName: string; deploymentGroupId: string; onPremisesTagFilters: TagFilter[];
      deploymentConfigName: string; fileExistsBehavior: FileExistsBehavior;
      lastDeployment?: { deploymentId: string; status: string; createTime: number };
    }[]>()),
    get: p.input(z.object({ applicationName: z.string(), deploymentGroupName: z.string() })).query(() => out<{
      applicationName: string; deploymentGroupName: string; deploymentGroupId: string; onPremisesTagFilters: TagFilter[];
      deploymentConfigName: string; fileExistsBehavior: FileExistsBehavior;
    }>()),
    create: p.input(z.object({ applicationName: z.string(), deploymentGroupName: z.string(), onPremisesTagFilters: z.array(filterIn), deploymentConfigName: z.string().optional(), fileExistsBehavior: z.enum(["DISALLOW", "OVERWRITE", "RETAIN"]).optional() })).mutation(() => out<{ deploymentGroupId: string }>()),
    update: p.input(z.object({ applicationName: z.string(), currentDeploymentGroupName: z.string(), newDeploymentGroupName: z.string().optional(), onPremisesTagFilters: z.array(filterIn).optional(), fileExistsBehavior: z.enum(["DISALLOW", "OVERWRITE", "RETAIN"]).optional() })).mutation(() => out<{ ok: true }>()),
    matchingHosts: p.input(z.object({ onPremisesTagFilters: z.array(filterIn) })).query(() => out<Host[]>()),
  }),
  revisions: t.router({
    list: p.input(app).query(() => out<{ s3Location: S3Location; size: number; registerTime: Date; description: string | null; lastUsedTime: Date | null }[]>()),
    register: p.input(z.object({ applicationName: z.string(), s3Location: z.object({ bucket: z.string(), key: z.string(), bundleType: z.enum(["zip", "tar", "tgz"]) }), description: z.string().optional() })).mutation(() => out<{ ok: true }>()),
  }),
  deployments: t.router({
    create: p.input(z.object({
      applicationName: z.string(), deploymentGroupName: z.string(),
      revision: z.object({ bucket: z.string(), key: z.string(), bundleType: z.enum(["zip", "tar", "tgz"]) }),
      description: z.string().optional(), fileExistsBehavior: z.enum(["DISALLOW", "OVERWRITE", "RETAIN"]).optional(),
      ignoreApplicationStopFailures: z.boolean().optional(),
    })).mutation(() => out<{ deploymentId: string }>()),
    get: p.input(dep).query(() => out<{ deploymentInfo: {
      deploymentId: string; applicationName: string; deploymentGroupName: string; deploymentConfigName: string;
      status: string; errorInformation?: { code: string; message: string }; createTime: number; startTime?: number;
      completeTime?: number; deploymentOverview: { Pending: number; InProgress: number; Succeeded: number; Failed: number; Skipped: number };
      description?: string; creator: string; revision: { revisionType: "S3"; s3Location: S3Location };
      fileExistsBehavior: FileExistsBehavior;
      rollbackInfo?: { rollbackDeploymentId?: string; rollbackTriggeringDeploymentId?: string; rollbackMessage?: string };
    } }>()),
    list: p.input(z.object({ applicationName: z.string().optional(), deploymentGroupName: z.string().optional() })).query(() => out<{
      deploymentId: string; applicationName: string; deploymentGroupName: string; status: string; creator: string;
      createTime: number; completeTime?: number; revision: S3Location; errorInformation?: { code: string; message: string };
    }[]>()),
    targets: p.input(dep).query(() => out<{
      targetId: string; hostId: string; status: string; lastUpdatedAt: number;
      lifecycleEvents: { lifecycleEventName: string; status: string; startTime?: number; endTime?: number; diagnostics?: Diagnostics }[];
    }[]>()),
    logs: p.input(z.object({ deploymentId: z.string(), afterSeq: z.number().optional() })).query(() => out<LogLine[]>()),
  }),
});

export type AppRouter = typeof contractRouter;
