"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef, useState, type ChangeEvent, type FormEvent } from "react";
import { BUNDLE_TYPES, bundleTypeFromName } from "@/components/lib/content-options";
import { toFormErrors } from "@/components/lib/errors";
import { formatBytes } from "@/components/lib/format";
import { useTRPC, type BundleType } from "@/components/lib/trpc";
import { uploadBundle } from "@/components/lib/upload";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";

const defaultBucket = (app: string) => `${app.toLowerCase().replace(/[^a-z0-9.-]+/g, "-")}-revisions`;

export function UploadRevisionDialog({ applicationName, open, onClose }: { applicationName: string; open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [bucket, setBucket] = useState(() => defaultBucket(applicationName));
  const [key, setKey] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [bundleType, setBundleType] = useState<BundleType>("zip");
  const [description, setDescription] = useState("");
  const [progress, setProgress] = useState<number | null>(null);
  const abort = useRef<AbortController | null>(null);
  const register = useMutation(trpc.revisions.register.mutationOptions());
  const upload = useMutation({
    mutationFn: async () => {
      if (!file) throw new Error("Choose a bundle file to upload.");
      abort.current = new AbortController();
      setProgress(0);
      const stored = await uploadBundle(bucket.trim(), key.trim(), file, setProgress, abort.current.signal);
      return register.mutateAsync({
        applicationName,
        s3Location: { bucket: stored.bucket, key: stored.key, bundleType },
        ...(description.trim() ? { description: description.trim() } : {}),
      });
    },
    onSettled: () => setProgress(null),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: trpc.revisions.list.queryKey({ applicationName }) });
      setFile(null); setKey(""); setDescription("");
      onClose();
    },
  });
  const errors = toFormErrors(upload.error);

  const onFile = (e: ChangeEvent<HTMLInputElement>) => {
    const f = e.target.files?.[0] ?? null;
    setFile(f);
    if (!f) return;
    if (!key.trim() || key === file?.name) setKey(f.name);
    const inferred = bundleTypeFromName(f.name);
    if (inferred) setBundleType(inferred);
  };
  const onSubmit = (e: FormEvent) => { e.preventDefault(); upload.mutate(); };
  const close = () => { abort.current?.abort(); onClose(); };

  return (
    <Dialog open={open} onClose={close} title="Upload revision" wide testId="upload-revision-dialog"
      footer={<>
        <Button variant="link" onClick={close}>Cancel</Button>
        <Button type="submit" form="upload-revision-form" variant="primary" loading={upload.isPending} data-testid="upload-revision-submit">Upload and register</Button>
      </>}
    >
      <form id="upload-revision-form" onSubmit={onSubmit} className="flex flex-col gap-4">
        <Field label="Bundle file" htmlFor="revision-file" description="A .zip, .tar or .tar.gz with appspec.yml at its root." error={errors.fields.file}>
          <input id="revision-file" type="file" required accept=".zip,.tar,.tgz,.tar.gz,.gz" onChange={onFile} data-testid="revision-file"
            className="text-sm file:mr-3 file:rounded-full file:border file:border-slate-400 file:bg-white file:px-3 file:py-1 file:text-xs file:font-semibold hover:file:bg-slate-50" />
          {file && <p className="text-xs text-slate-500">{file.name} · {formatBytes(file.size)}</p>}
        </Field>
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          <Field label="Bucket" htmlFor="revision-bucket" error={errors.fields.bucket}>
            <Input id="revision-bucket" required value={bucket} onChange={(e) => setBucket(e.target.value)} />
          </Field>
          <Field label="Key" htmlFor="revision-key" error={errors.fields.key}>
            <Input id="revision-key" required value={key} onChange={(e) => setKey(e.target.value)} placeholder="releases/app-1.2.0.zip" />
          </Field>
        </div>
        <p className="-mt-2 font-mono text-xs text-slate-500">s3://{bucket || "bucket"}/{key || "key"}</p>
        <Field label="Revision file type" htmlFor="revision-bundle-type" error={errors.fields.s3Location}>
          <Select id="revision-bundle-type" value={bundleType} onChange={(e) => setBundleType(e.target.value as BundleType)} className="max-w-48">
            {BUNDLE_TYPES.map((b) => <option key={b.value} value={b.value}>{b.label}</option>)}
          </Select>
        </Field>
        <Field label={<>Description <span className="font-normal text-slate-500">- optional</span></>} htmlFor="revision-description" error={errors.fields.description}>
          <Input id="revision-description" value={description} onChange={(e) => setDescription(e.target.value)} />
        </Field>
        {progress !== null && (
          <div data-testid="upload-progress">
            <div className="mb-1 flex justify-between text-xs text-slate-600">
              <span>{progress < 1 ? "Uploading…" : "Registering revision…"}</span><span>{Math.round(progress * 100)}%</span>
            </div>
            <div className="h-2 overflow-hidden rounded-full bg-slate-200">
              <div className="h-full bg-blue-600 transition-[width]" style={{ width: `${Math.round(progress * 100)}%` }} />
            </div>
          </div>
        )}
        {errors.message && <Alert type="error" title="Upload failed">{errors.message}</Alert>}
      </form>
    </Dialog>
  );
}
