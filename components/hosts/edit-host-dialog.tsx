"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { toFormErrors } from "@/components/lib/errors";
import { useTRPC, type Host } from "@/components/lib/trpc";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { cleanTags, TagRows, type TagRow } from "./tag-rows";

/** Edits where and how to reach a host, and its tags. The private key is replaced only if re-entered. */
export function EditHostDialog({ host, onClose }: { host: Host | null; onClose: () => void }) {
  return (
    <Dialog open={host !== null} onClose={onClose} title={`Edit ${host?.name ?? ""}`} wide testId="edit-host-dialog">
      {host && <EditHostForm key={host.id} host={host} onClose={onClose} />}
    </Dialog>
  );
}

function EditHostForm({ host, onClose }: { host: Host; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [address, setAddress] = useState(host.address);
  const [port, setPort] = useState(String(host.port));
  const [username, setUsername] = useState(host.username);
  const [tags, setTags] = useState<TagRow[]>(host.tags);
  const update = useMutation(trpc.hosts.update.mutationOptions({
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: trpc.hosts.list.queryKey() });
      onClose();
    },
  }));
  const errors = toFormErrors(update.error);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    update.mutate({ name: host.name, address: address.trim(), port: Number(port), username: username.trim(), tags: cleanTags(tags) });
  };
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4">
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-[1fr_7rem_10rem]">
        <Field label="Address" htmlFor="edit-address" error={errors.fields.address}>
          <Input id="edit-address" required value={address} onChange={(e) => setAddress(e.target.value)} />
        </Field>
        <Field label="SSH port" htmlFor="edit-port" error={errors.fields.port}>
          <Input id="edit-port" type="number" min={1} max={65535} required value={port} onChange={(e) => setPort(e.target.value)} />
        </Field>
        <Field label="User" htmlFor="edit-username" error={errors.fields.username}>
          <Input id="edit-username" required value={username} onChange={(e) => setUsername(e.target.value)} />
        </Field>
      </div>
      <Field label="Tags" error={errors.fields.tags}>
        <TagRows rows={tags} onChange={setTags} idPrefix="edit-tag" />
      </Field>
      {errors.message && <Alert type="error" title="Could not save">{errors.message}</Alert>}
      <div className="flex justify-end gap-2">
        <Button variant="link" onClick={onClose}>Cancel</Button>
        <Button type="submit" variant="primary" loading={update.isPending} data-testid="edit-host-submit">Save changes</Button>
      </div>
    </form>
  );
}
