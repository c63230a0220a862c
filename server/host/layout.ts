/**
 * The CodeDeploy agent's layout on a host, under Slipway's agent root (default /opt/slipway):
 * deployment-root/<group id>/<deployment id>/{bundle.tar, deployment-archive/, logs/scripts.log}
 * and deployment-root/deployment-instructions/{<group id>-cleanup, <group id>_last_successful_install}.
 */
export type HostLayout = ReturnType<typeof hostLayout>;

export function hostLayout(agentRoot: string, deploymentGroupId: string, deploymentId: string) {
  const root = `${agentRoot.replace(/\/+$/, "")}/deployment-root`;
  const instructions = `${root}/deployment-instructions`;
  const groupDir = `${root}/${deploymentGroupId}`;
  const deploymentDir = `${groupDir}/${deploymentId}`;
  return {
    root,
    instructions,
    groupDir,
    deploymentDir,
    archiveDir: `${deploymentDir}/deployment-archive`,
    bundleFile: `${deploymentDir}/bundle.tar`,
    scriptsLog: `${deploymentDir}/logs/scripts.log`,
    cleanupFile: `${instructions}/${deploymentGroupId}-cleanup`,
    lastSuccessfulInstallFile: `${instructions}/${deploymentGroupId}_last_successful_install`,
  };
}

/** How many deployment directories a host keeps per group (the agent keeps 5). */
export const KEEP_DEPLOYMENTS = 5;
