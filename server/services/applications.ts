import { and, count, eq, inArray, type SQL } from "drizzle-orm";
import { ACTIVE_STATUSES, applications, deploymentGroups, deployments } from "../../drizzle/schema";
import type { AppContext } from "../context";
import type { Db, Tx } from "../db/client";
import { conflict, notFound } from "./errors";

/** A deployment not yet finished among those `where` selects (of a group, of an application). */
export async function activeDeployment(db: Db | Tx, where: SQL): Promise<{ id: string } | null> {
  const [active] = await db
    .select({ id: deployments.id })
    .from(deployments)
    .where(and(where, inArray(deployments.status, [...ACTIVE_STATUSES])))
    .limit(1);
  return active ?? null;
}

export async function applicationByName(ctx: Pick<AppContext, "db">, name: string) {
  const [row] = await ctx.db.select().from(applications).where(eq(applications.name, name));
  if (!row) throw notFound("ApplicationDoesNotExistException", `No application named "${name}" exists.`);
  return row;
}

const view = (a: typeof applications.$inferSelect, deploymentGroupCount = 0) => ({
  applicationId: a.id,
  applicationName: a.name,
  computePlatform: a.computePlatform,
  createTime: a.createdAt,
  deploymentGroupCount,
});

export async function listApplications(ctx: AppContext) {
  const rows = await ctx.db
    .select({ a: applications, groups: count(deploymentGroups.id) })
    .from(applications)
    .leftJoin(deploymentGroups, eq(deploymentGroups.applicationId, applications.id))
    .groupBy(applications.id)
    .orderBy(applications.name);
  return rows.map((r) => view(r.a, r.groups));
}

export async function getApplication(ctx: AppContext, name: string) {
  const a = await applicationByName(ctx, name);
  const [{ n }] = await ctx.db.select({ n: count() }).from(deploymentGroups).where(eq(deploymentGroups.applicationId, a.id));
  return view(a, n);
}

export async function createApplication(ctx: AppContext, input: { applicationName: string; computePlatform?: "Server" }) {
  const [existing] = await ctx.db.select({ id: applications.id }).from(applications).where(eq(applications.name, input.applicationName));
  if (existing)
    throw conflict("ApplicationAlreadyExistsException", `An application named "${input.applicationName}" already exists.`, "applicationName");
  const [row] = await ctx.db.insert(applications).values({ name: input.applicationName, computePlatform: "Server" }).returning();
  return view(row);
}

/** Refused while one of its deployments runs: deleting it would orphan hosts mid-install. */
export async function deleteApplication(ctx: AppContext, name: string) {
  const a = await applicationByName(ctx, name);
  const active = await activeDeployment(ctx.db, eq(deployments.applicationId, a.id));
  if (active)
    throw conflict(
      "DeploymentAlreadyInProgressException",
      `Application "${name}" cannot be deleted while deployment ${active.id} is in progress. Wait for it to finish or stop it first.`,
    );
  await ctx.db.delete(applications).where(eq(applications.id, a.id));
}
