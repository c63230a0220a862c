"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { readableMessage } from "@/components/lib/errors";
import { useTRPC, type DeploymentInfo } from "@/components/lib/trpc";
import { deploymentHref, newDeploymentHref } from "@/components/lib/use-param";
import { isActiveStatus } from "@/components/lib/use-now";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { LinkButton } from "@/components/ui/link-button";

/** Stop (optionally rolling back) while it runs; retry or adjust-and-deploy once it is over. */
export function DeploymentActions({ info }: { info: DeploymentInfo }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [stopping, setStopping] = useState(false);
  const id = info.deploymentId;
  const stop = useMutation(trpc.deployments.stop.mutationOptions({
    onSuccess: async () => {
      setStopping(false);
      await queryClient.invalidateQueries({ queryKey: trpc.deployments.get.queryKey({ deploymentId: id }) });
    },
  }));
  const redeploy = useMutation(trpc.deployments.redeploy.mutationOptions({
    onSuccess: ({ deploymentId }) => router.push(deploymentHref(deploymentId)),
  }));
  const active = isActiveStatus(info.status);

  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex flex-wrap gap-2">
        {active ? (
          <Button variant="danger" onClick={() => { stop.reset(); setStopping(true); }} data-testid="stop-deployment">Stop deployment</Button>
        ) : (
          <>
            <LinkButton href={newDeploymentHref(info.applicationName, info.deploymentGroupName, info.revision.s3Location)} data-testid="deploy-again">
              Deploy with changes
            </LinkButton>
            <Button variant="primary" loading={redeploy.isPending} onClick={() => redeploy.mutate({ deploymentId: id })} data-testid="retry-deployment">
              Retry deployment
            </Button>
          </>
        )}
      </div>
      {redeploy.error && <Alert type="error" className="max-w-md">{readableMessage(redeploy.error)}</Alert>}
      <Dialog open={stopping} onClose={() => setStopping(false)} title={`Stop ${id}?`} testId="stop-deployment-dialog"
        footer={<>
          <Button variant="link" onClick={() => setStopping(false)}>Cancel</Button>
          <Button loading={stop.isPending && stop.variables?.autoRollbackEnabled === true} disabled={stop.isPending}
            onClick={() => stop.mutate({ deploymentId: id, autoRollbackEnabled: true })} data-testid="stop-and-roll-back">
            Stop and roll back deployment
          </Button>
          <Button variant="danger" loading={stop.isPending && stop.variables?.autoRollbackEnabled === false} disabled={stop.isPending}
            onClick={() => stop.mutate({ deploymentId: id, autoRollbackEnabled: false })} data-testid="confirm-stop">
            Stop deployment
          </Button>
        </>}
      >
        <div className="flex flex-col gap-3 text-sm text-slate-700">
          <p>The running lifecycle event is killed on its instance (its whole process group) and the remaining instances are not deployed to.
            Instances already updated keep the new revision.</p>
          <p><b>Stop and roll back</b> also starts a new deployment of the last revision that succeeded in <b>{info.deploymentGroupName}</b>.</p>
          {stop.error && <Alert type="error">{readableMessage(stop.error)}</Alert>}
        </div>
      </Dialog>
    </div>
  );
}
