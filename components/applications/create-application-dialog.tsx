"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { toFormErrors } from "@/components/lib/errors";
import { useTRPC } from "@/components/lib/trpc";
import { appHref } from "@/components/lib/use-param";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";

export function CreateApplicationDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const create = useMutation(trpc.applications.create.mutationOptions({
    onSuccess: async (_d, input) => {
      await queryClient.invalidateQueries({ queryKey: trpc.applications.list.queryKey() });
      setName("");
      router.push(appHref(input.applicationName));
    },
  }));
  const errors = toFormErrors(create.error);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ applicationName: name.trim(), computePlatform: "Server" });
  };
  return (
    <Dialog open={open} onClose={onClose} title="Create application" testId="create-application-dialog"
      footer={<>
        <Button variant="link" onClick={onClose}>Cancel</Button>
        <Button type="submit" form="create-application-form" variant="primary" loading={create.isPending} data-testid="create-application-submit">Create application</Button>
      </>}
    >
      <form id="create-application-form" onSubmit={onSubmit} className="flex flex-col gap-4">
        <Field label="Application name" htmlFor="application-name" error={errors.fields.applicationName}
          constraint="100 character limit. Letters, numbers, periods, underscores and hyphens.">
          <Input id="application-name" required autoFocus maxLength={100} value={name} onChange={(e) => setName(e.target.value)}
            placeholder="Enter an application name" invalid={!!errors.fields.applicationName} />
        </Field>
        <Field label="Compute platform" htmlFor="compute-platform" error={errors.fields.computePlatform}>
          <Select id="compute-platform" value="Server" onChange={() => undefined}>
            <option value="Server">EC2/On-premises</option>
          </Select>
        </Field>
        {errors.message && <Alert type="error" title="Could not create the application">{errors.message}</Alert>}
      </form>
    </Dialog>
  );
}
