import { and, desc, eq } from "drizzle-orm";
import { revisions, type S3Location } from "../../drizzle/schema";
import type { AppContext } from "../context";
import { applicationByName } from "./applications";
import { invalid } from "./errors";

const view = (r: typeof revisions.$inferSelect) => ({
  revisionType: "S3" as const,
  s3Location: { bucket: r.bucket, key: r.key, bundleType: r.bundleType, ...(r.eTag ? { eTag: r.eTag } : {}) },
  size: r.size,
  description: r.description,
  registerTime: r.registerTime,
  firstUsedTime: r.firstUsedTime,
  lastUsedTime: r.lastUsedTime,
});

export async function listRevisions(ctx: AppContext, applicationName: string) {
  const app = await applicationByName(ctx, applicationName);
  const rows = await ctx.db.select().from(revisions).where(eq(revisions.applicationId, app.id)).orderBy(desc(revisions.registerTime));
  return rows.map(view);
}

/**
 * RegisterApplicationRevision: records a bundle in the store as a revision of the application.
 * Registering the same location again refreshes its eTag and size (a re-upload).
 */
export async function registerRevision(
  ctx: AppContext,
  input: { applicationName: string; s3Location: S3Location; description?: string },
) {
  const app = await applicationByName(ctx, input.applicationName);
  const { bucket, key, bundleType } = input.s3Location;
  const head = await ctx.store.head(bucket, key).catch((err: Error) => {
    throw invalid("InvalidRevisionException", err.message, "s3Location");
  });
  if (!head) throw invalid("RevisionDoesNotExistException", `No object at s3://${bucket}/${key}: upload the bundle first.`, "s3Location");
  const values = { applicationId: app.id, bucket, key, bundleType, eTag: head.eTag, size: head.size, description: input.description ?? null };
  const [row] = await ctx.db
    .insert(revisions)
    .values(values)
    .onConflictDoUpdate({
      target: [revisions.applicationId, revisions.bucket, revisions.key, revisions.bundleType],
      set: { eTag: head.eTag, size: head.size, registerTime: new Date(), ...(input.description ? { description: input.description } : {}) },
    })
    .returning();
  return view(row);
}

/** Marks a revision used by a deployment (CodeDeploy's firstUsedTime / lastUsedTime). */
export async function touchRevision(ctx: Pick<AppContext, "db">, applicationId: string, loc: S3Location) {
  const now = new Date();
  const where = and(
    eq(revisions.applicationId, applicationId),
    eq(revisions.bucket, loc.bucket),
    eq(revisions.key, loc.key),
    eq(revisions.bundleType, loc.bundleType),
  );
  const [row] = await ctx.db.select({ first: revisions.firstUsedTime }).from(revisions).where(where);
  if (!row) {
    await ctx.db.insert(revisions).values({ applicationId, bucket: loc.bucket, key: loc.key, bundleType: loc.bundleType, firstUsedTime: now, lastUsedTime: now }).onConflictDoNothing();
    return;
  }
  await ctx.db.update(revisions).set({ lastUsedTime: now, ...(row.first ? {} : { firstUsedTime: now }) }).where(where);
}
