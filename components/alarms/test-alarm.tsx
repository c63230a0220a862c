"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { readableMessage } from "@/components/lib/errors";
import { useTRPC } from "@/components/lib/trpc";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/input";

/** "Test alarm": evaluates the alarm once now against the hosts of a chosen deployment group. */
export function TestAlarm({ alarmName }: { alarmName: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [applicationName, setApplicationName] = useState("");
  const [deploymentGroupName, setDeploymentGroupName] = useState("");
  const applications = useQuery(trpc.applications.list.queryOptions());
  const groups = useQuery(trpc.deploymentGroups.list.queryOptions({ applicationName }, { enabled: applicationName !== "" }));
  const evaluate = useMutation(trpc.alarms.evaluate.mutationOptions({
    onSettled: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: trpc.alarms.list.queryKey() }),
        queryClient.invalidateQueries({ queryKey: trpc.alarms.results.queryKey({ name: alarmName }) }),
      ]);
    },
  }));
  const result = evaluate.data;
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-end gap-2">
        <label className="flex flex-col gap-1 text-sm font-semibold text-slate-900">
          Application
          <Select aria-label="Application" value={applicationName} className="w-56" data-testid="test-alarm-application"
            onChange={(e) => { setApplicationName(e.target.value); setDeploymentGroupName(""); }}>
            <option value="">Choose an application</option>
            {applications.data?.map((a) => <option key={a.applicationName} value={a.applicationName}>{a.applicationName}</option>)}
          </Select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-semibold text-slate-900">
          Deployment group
          <Select aria-label="Deployment group" value={deploymentGroupName} className="w-56" data-testid="test-alarm-group"
            disabled={!applicationName} onChange={(e) => setDeploymentGroupName(e.target.value)}>
            <option value="">Choose a deployment group</option>
            {groups.data?.map((g) => <option key={g.deploymentGroupName} value={g.deploymentGroupName}>{g.deploymentGroupName}</option>)}
          </Select>
        </label>
        <Button data-testid={`test-alarm-${alarmName}`} loading={evaluate.isPending} disabled={!deploymentGroupName}
          onClick={() => evaluate.mutate({ name: alarmName, applicationName, deploymentGroupName })}>
          Test alarm
        </Button>
      </div>
      <p className="text-xs text-slate-500">Runs the check once now against the group&apos;s hosts and records the result.</p>
      {evaluate.error && <Alert type="error" title="Could not test the alarm">{readableMessage(evaluate.error)}</Alert>}
      {result && (
        <Alert type={result.outcome === "ok" ? "success" : result.outcome === "failed" ? "error" : "warning"}
          title={result.outcome === "ok" ? "Check passed" : result.outcome === "failed" ? "Check failed" : "Could not evaluate"}>
          <span data-testid="test-alarm-result">{result.message}</span>
        </Alert>
      )}
    </div>
  );
}
