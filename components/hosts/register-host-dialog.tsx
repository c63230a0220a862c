"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type ChangeEvent, type FormEvent } from "react";
import { toFormErrors } from "@/components/lib/errors";
import { useTRPC } from "@/components/lib/trpc";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input, Textarea } from "@/components/ui/input";
import { cleanTags, TagRows, type TagRow } from "./tag-rows";

const EMPTY = { name: "", address: "", port: "22", username: "root", privateKey: "", agentRoot: "" };

export function RegisterHostDialog({ open, onClose, onRegistered }: {
  open: boolean; onClose: () => void; onRegistered: (name: string) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form, setForm] = useState(EMPTY);
  const [tags, setTags] = useState<TagRow[]>([{ Key: "Name", Value: "" }]);
  const [keyFile, setKeyFile] = useState<string | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const register = useMutation(trpc.hosts.register.mutationOptions({
    onSuccess: async (_data, input) => {
      await queryClient.invalidateQueries({ queryKey: trpc.hosts.list.queryKey() });
      setForm(EMPTY); setTags([{ Key: "Name", Value: "" }]); setKeyFile(null);
      onRegistered(input.name);
    },
  }));
  const errors = toFormErrors(register.error);
  const set = (key: keyof typeof EMPTY) => (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => setForm((f) => ({ ...f, [key]: e.target.value }));

  // The key file is read in the browser into the form; it is sent once and never shown again.
  const onKeyFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = ""; // choosing the same file again still fires a change
    setFileError(null);
    if (!file) return;
    if (file.size > 64 * 1024) { setFileError("That file is too large to be a private key."); return; }
    const text = await file.text();
    if (!text.includes("PRIVATE KEY")) setFileError("That file does not look like a private key (no \"PRIVATE KEY\" header).");
    setForm((f) => ({ ...f, privateKey: text }));
    setKeyFile(file.name);
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    register.mutate({
      name: form.name.trim(),
      address: form.address.trim(),
      port: Number(form.port),
      username: form.username.trim(),
      privateKey: form.privateKey,
      ...(form.agentRoot.trim() ? { agentRoot: form.agentRoot.trim() } : {}),
      tags: cleanTags(tags),
    });
  };

  return (
    <Dialog open={open} onClose={onClose} title="Register an on-premises instance" wide testId="register-host-dialog"
      footer={<>
        <Button variant="link" onClick={onClose}>Cancel</Button>
        <Button type="submit" form="register-host-form" variant="primary" loading={register.isPending} data-testid="register-host-submit">Register</Button>
      </>}
    >
      <form id="register-host-form" onSubmit={onSubmit} className="flex flex-col gap-4">
        <Field label="Name" htmlFor="host-name" error={errors.fields.name} constraint="Unique; deployments show hosts by this name (the target ID).">
          <Input id="host-name" required value={form.name} onChange={set("name")} placeholder="web-1" invalid={!!errors.fields.name} />
        </Field>
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-[1fr_7rem_10rem]">
          <Field label="Address" htmlFor="host-address" error={errors.fields.address}>
            <Input id="host-address" required value={form.address} onChange={set("address")} placeholder="10.0.0.5 or web-1.internal" invalid={!!errors.fields.address} />
          </Field>
          <Field label="SSH port" htmlFor="host-port" error={errors.fields.port}>
            <Input id="host-port" type="number" min={1} max={65535} required value={form.port} onChange={set("port")} invalid={!!errors.fields.port} />
          </Field>
          <Field label="User" htmlFor="host-username" error={errors.fields.username}>
            <Input id="host-username" required value={form.username} onChange={set("username")} invalid={!!errors.fields.username} />
          </Field>
        </div>
        <Field label="Private key" htmlFor="host-private-key" error={errors.fields.privateKey ?? fileError}
          description="Paste an OpenSSH or PEM private key, or choose the key file. It is stored encrypted and never shown again.">
          <div className="relative">
            <Textarea id="host-private-key" required rows={5} spellCheck={false} autoComplete="off" value={form.privateKey}
              onChange={(e) => { set("privateKey")(e); setKeyFile(null); }} readOnly={!!keyFile}
              placeholder="-----BEGIN OPENSSH PRIVATE KEY-----" invalid={!!errors.fields.privateKey}
              className={keyFile ? "font-mono text-xs text-transparent caret-transparent select-none" : "font-mono text-xs"} />
            {keyFile && (
              // A key read from a file stays in the field's value but is not put on screen.
              <div className="absolute inset-0 flex items-center justify-center gap-3 rounded-md bg-slate-50 text-sm text-slate-700">
                <span>Private key loaded from <b>{keyFile}</b> (hidden)</span>
                <Button size="sm" onClick={() => { setKeyFile(null); setForm((f) => ({ ...f, privateKey: "" })); }}>Clear</Button>
              </div>
            )}
          </div>
          <div className="flex items-center gap-2 text-sm">
            <label className="inline-flex h-7 cursor-pointer items-center rounded-full border border-slate-400 px-3 text-xs font-semibold hover:bg-slate-50">
              Choose key file
              <input type="file" data-testid="host-private-key-file" className="sr-only" onChange={onKeyFile} />
            </label>
          </div>
        </Field>
        <Field label={<>Agent root <span className="font-normal text-slate-500">- optional</span></>} htmlFor="host-agent-root" error={errors.fields.agentRoot}
          constraint="Where deployments are unpacked on the host. Default /opt/slipway.">
          <Input id="host-agent-root" value={form.agentRoot} onChange={set("agentRoot")} placeholder="/opt/slipway" />
        </Field>
        <Field label="Tags" error={errors.fields.tags}>
          <TagRows rows={tags} onChange={setTags} idPrefix="host-tag" />
        </Field>
        {errors.message && <Alert type="error" title="Could not register the instance">{errors.message}</Alert>}
      </form>
    </Dialog>
  );
}
