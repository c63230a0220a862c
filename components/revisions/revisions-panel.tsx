"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { bundleTypeLabel } from "@/components/lib/content-options";
import { formatBytes, formatTime, s3Uri } from "@/components/lib/format";
import { useTRPC } from "@/components/lib/trpc";
import { newDeploymentHref } from "@/components/lib/use-param";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { LinkButton } from "@/components/ui/link-button";
import { Panel } from "@/components/ui/panel";
import { QueryBody } from "@/components/ui/query-body";
import { Table, TD, TH, THead, TR } from "@/components/ui/table";
import { UploadRevisionDialog } from "./upload-revision-dialog";

export function RevisionsPanel({ applicationName }: { applicationName: string }) {
  const trpc = useTRPC();
  const revisions = useQuery(trpc.revisions.list.queryOptions({ applicationName }));
  const [uploading, setUploading] = useState(false);
  const upload = <Button variant="primary" onClick={() => setUploading(true)} data-testid="upload-revision">Upload revision</Button>;
  return (
    <>
      <Panel title="Revisions" count={revisions.data?.length} flush actions={upload}
        description="Application bundles registered with this application, newest first.">
        <QueryBody query={revisions} loading="Loading revisions…" errorTitle="Could not load revisions"
          empty={<EmptyState title="No revisions" description="Upload a bundle (.zip, .tar or .tar.gz with an appspec.yml) or push one with `slipway push`." action={upload} />}>
          {(rows) => (
            <Table>
              <THead>
                <tr><TH>Revision location</TH><TH>File type</TH><TH>Size</TH><TH>ETag</TH><TH>Registered</TH><TH>Last used</TH><TH>Description</TH><TH className="text-right">Actions</TH></tr>
              </THead>
              <tbody>
                {rows.map((r) => {
                  const uri = s3Uri(r.s3Location);
                  return (
                    <TR key={`${uri}#${r.s3Location.bundleType}`} data-testid={`revision-row-${uri}`}>
                      <TD className="font-mono text-xs break-all">{uri}</TD>
                      <TD>{bundleTypeLabel(r.s3Location.bundleType)}</TD>
                      <TD className="whitespace-nowrap">{formatBytes(r.size)}</TD>
                      <TD className="max-w-32 truncate font-mono text-xs text-slate-600" title={r.s3Location.eTag}>{r.s3Location.eTag ?? "-"}</TD>
                      <TD className="whitespace-nowrap text-slate-600">{formatTime(r.registerTime)}</TD>
                      <TD className="whitespace-nowrap text-slate-600">{formatTime(r.lastUsedTime)}</TD>
                      <TD className="text-slate-700">{r.description ?? ""}</TD>
                      <TD className="text-right">
                        <LinkButton size="sm" href={newDeploymentHref(applicationName, undefined, r.s3Location)} data-testid={`deploy-revision-${uri}`}>Deploy</LinkButton>
                      </TD>
                    </TR>
                  );
                })}
              </tbody>
            </Table>
          )}
        </QueryBody>
      </Panel>
      <UploadRevisionDialog applicationName={applicationName} open={uploading} onClose={() => setUploading(false)} />
    </>
  );
}
