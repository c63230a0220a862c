"use client";

import Link from "next/link";
import type { FileExistsBehavior } from "@/components/lib/trpc";
import { deploymentHref } from "@/components/lib/use-param";
import { Alert } from "@/components/ui/alert";

/**
 * The rollback pitfall of content options (reference section 5): files the last successful
 * deployment RETAINED and this one OVERWRITES are gone for good, since a rollback reinstalls that
 * revision, not the files that were there before it.
 */
export function ContentOptionWarning({ content, lastSuccessful }: {
  content: FileExistsBehavior;
  lastSuccessful: { deploymentId: string; fileExistsBehavior: string } | null | undefined;
}) {
  if (content !== "OVERWRITE" || lastSuccessful?.fileExistsBehavior !== "RETAIN") return null;
  return (
    <div data-testid="content-option-warning">
      <Alert type="warning" title="A rollback cannot restore the files this deployment overwrites">
        The last successful deployment of this group, <Link className="font-mono underline" href={deploymentHref(lastSuccessful.deploymentId)}>{lastSuccessful.deploymentId}</Link>,
        retained the files it found on the instances. Overwriting them replaces them for good: if this deployment rolls back, the rollback
        reinstalls that revision, not the files that were there before.
      </Alert>
    </div>
  );
}
