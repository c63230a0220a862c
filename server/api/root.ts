import { alarmsRouter } from "./routers/alarms";
import { applicationsRouter } from "./routers/applications";
import { authRouter } from "./routers/auth";
import { deploymentGroupsRouter } from "./routers/deployment-groups";
import { deploymentsRouter } from "./routers/deployments";
import { hostsRouter } from "./routers/hosts";
import { revisionsRouter } from "./routers/revisions";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  auth: authRouter,
  hosts: hostsRouter,
  applications: applicationsRouter,
  deploymentGroups: deploymentGroupsRouter,
  revisions: revisionsRouter,
  deployments: deploymentsRouter,
  alarms: alarmsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
