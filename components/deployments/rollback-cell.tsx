import Link from "next/link";
import { deploymentHref } from "@/components/lib/use-param";
import type { DeploymentRow } from "./deployments-table";

const LINK = "font-mono whitespace-nowrap text-blue-700 hover:underline";

/**
 * The history's Rollback column. Both deployments of an automatic rollback point at each other
 * (rollbackDeploymentId on the failed one, rollbackTriggeringDeploymentId on the rollback); a
 * message alone means no rollback could run (no earlier revision succeeded in the group).
 */
export function RollbackCell({ deployment: d }: { deployment: DeploymentRow }) {
  const info = d.rollbackInfo;
  if (!info) return <span className="text-slate-400">-</span>;
  return (
    <div className="flex flex-col gap-1 text-xs text-slate-600" title={info.rollbackMessage}>
      {info.rollbackDeploymentId && (
        <span>Rolled back by{" "}
          <Link href={deploymentHref(info.rollbackDeploymentId)} className={LINK} data-testid={`rolled-back-by-${d.deploymentId}`}>{info.rollbackDeploymentId}</Link>
        </span>
      )}
      {info.rollbackTriggeringDeploymentId && (
        <span>Rollback of{" "}
          <Link href={deploymentHref(info.rollbackTriggeringDeploymentId)} className={LINK} data-testid={`rollback-of-${d.deploymentId}`}>{info.rollbackTriggeringDeploymentId}</Link>
        </span>
      )}
      {!info.rollbackDeploymentId && !info.rollbackTriggeringDeploymentId && info.rollbackMessage && (
        <span className="cursor-help underline decoration-slate-300 decoration-dotted underline-offset-2" data-testid={`no-rollback-${d.deploymentId}`}>No rollback</span>
      )}
    </div>
  );
}
