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
import type { Alarm } from "./alarm-state-badge";

type FormState = {
  name: string; type: "http" | "command"; url: string; expectedStatus: string; bodyContains: string; command: string;
  timeoutSeconds: string; intervalSeconds: string; failuresToAlarm: string;
};

const EMPTY: FormState = {
  name: "", type: "http", url: "http://{host}/health", expectedStatus: "200", bodyContains: "", command: "",
  timeoutSeconds: "5", intervalSeconds: "10", failuresToAlarm: "3",
};

const fromAlarm = (a: Alarm): FormState => ({
  name: a.alarmName, type: a.type, url: a.url ?? EMPTY.url, expectedStatus: String(a.expectedStatus), bodyContains: a.bodyContains ?? "",
  command: a.command ?? "", timeoutSeconds: String(a.timeoutSeconds), intervalSeconds: String(a.intervalSeconds), failuresToAlarm: String(a.failuresToAlarm),
});

/** Creates an alarm, or edits one when `alarm` is given. */
export function AlarmFormDialog({ open, alarm, onClose }: { open: boolean; alarm?: Alarm | null; onClose: () => void }) {
  return (
    <Dialog open={open} onClose={onClose} title={alarm ? `Edit alarm ${alarm.alarmName}` : "Create alarm"} wide testId="alarm-dialog">
      {open && <AlarmForm key={alarm?.alarmName ?? "new"} alarm={alarm ?? null} onClose={onClose} />}
    </Dialog>
  );
}

function AlarmForm({ alarm, onClose }: { alarm: Alarm | null; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<FormState>(alarm ? fromAlarm(alarm) : EMPTY);
  const onSuccess = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.alarms.pathKey() });
    onClose();
  };
  const create = useMutation(trpc.alarms.create.mutationOptions({ onSuccess }));
  const update = useMutation(trpc.alarms.update.mutationOptions({ onSuccess }));
  const mutation = alarm ? update : create;
  const errors = toFormErrors(mutation.error);
  const set = (key: keyof FormState) => (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => setForm((f) => ({ ...f, [key]: e.target.value }));

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const common = {
      name: form.name.trim(),
      timeoutSeconds: Number(form.timeoutSeconds),
      intervalSeconds: Number(form.intervalSeconds),
      failuresToAlarm: Number(form.failuresToAlarm),
    };
    const input = form.type === "http"
      ? { ...common, type: "http" as const, url: form.url.trim(), expectedStatus: Number(form.expectedStatus), bodyContains: form.bodyContains || null }
      : { ...common, type: "command" as const, command: form.command };
    if (alarm) update.mutate({ ...input, currentName: alarm.alarmName });
    else create.mutate(input);
  };

  const numberField = (key: "timeoutSeconds" | "intervalSeconds" | "failuresToAlarm", label: string, constraint: string, min: number, max: number) => (
    <Field label={label} htmlFor={`alarm-${key}`} error={errors.fields[key]} constraint={constraint}>
      <Input id={`alarm-${key}`} type="number" min={min} max={max} required value={form[key]} onChange={set(key)} invalid={!!errors.fields[key]} />
    </Field>
  );

  return (
    <form data-testid="alarm-form" onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
      <Field label="Alarm name" htmlFor="alarm-name" error={errors.fields.name} constraint="Letters, digits and _ . + @ -; deployment groups list alarms by name.">
        <Input id="alarm-name" required value={form.name} onChange={set("name")} placeholder="web-health" invalid={!!errors.fields.name} />
      </Field>
      <fieldset className="flex flex-col gap-1">
        <legend className="mb-1 text-sm font-semibold text-slate-900">Check</legend>
        {([["http", "HTTP check", "GET a URL; {host} is replaced by each host's address."], ["command", "Command on each host", "Run a command over SSH on each host; exit code 0 is healthy."]] as const).map(([value, label, help]) => (
          <label key={value} className="flex items-start gap-2 text-sm text-slate-800">
            <input type="radio" name="alarm-type" value={value} checked={form.type === value} data-testid={`alarm-type-${value}`}
              onChange={() => setForm((f) => ({ ...f, type: value }))} className="mt-0.5 size-4 accent-blue-700" />
            <span>{label}<span className="block text-xs text-slate-500">{help}</span></span>
          </label>
        ))}
        {errors.fields.type && <p role="alert" className="text-xs font-medium text-red-700">{errors.fields.type}</p>}
      </fieldset>
      {form.type === "http" ? (
        <>
          <Field label="URL" htmlFor="alarm-url" error={errors.fields.url} constraint="http:// or https://. Without {host}, the URL is checked once.">
            <Input id="alarm-url" required value={form.url} onChange={set("url")} placeholder="http://{host}:8080/health" className="font-mono" invalid={!!errors.fields.url} />
          </Field>
          <div className="grid grid-cols-1 gap-4 sm:grid-cols-[10rem_1fr]">
            <Field label="Expected status" htmlFor="alarm-expectedStatus" error={errors.fields.expectedStatus}>
              <Input id="alarm-expectedStatus" type="number" min={100} max={599} value={form.expectedStatus} onChange={set("expectedStatus")} invalid={!!errors.fields.expectedStatus} />
            </Field>
            <Field label={<>Body contains <span className="font-normal text-slate-500">- optional</span></>} htmlFor="alarm-bodyContains" error={errors.fields.bodyContains}>
              <Input id="alarm-bodyContains" value={form.bodyContains} onChange={set("bodyContains")} placeholder="ok" invalid={!!errors.fields.bodyContains} />
            </Field>
          </div>
        </>
      ) : (
        <Field label="Command" htmlFor="alarm-command" error={errors.fields.command} constraint="Runs as sh -c on each host, as the host's SSH user.">
          <Textarea id="alarm-command" required rows={3} spellCheck={false} value={form.command} onChange={set("command")}
            placeholder="systemctl is-active --quiet nginx" className="font-mono text-xs" invalid={!!errors.fields.command} />
        </Field>
      )}
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
        {numberField("timeoutSeconds", "Timeout (seconds)", "1-60 per check", 1, 60)}
        {numberField("intervalSeconds", "Interval (seconds)", "1-3600 between checks", 1, 3600)}
        {numberField("failuresToAlarm", "Failures to alarm", "1-100 consecutive failed checks", 1, 100)}
      </div>
      {errors.message && <Alert type="error" title={alarm ? "Could not save the alarm" : "Could not create the alarm"}>{errors.message}</Alert>}
      <div className="flex justify-end gap-2">
        <Button variant="link" onClick={onClose}>Cancel</Button>
        <Button type="submit" variant="primary" loading={mutation.isPending} data-testid="alarm-submit">{alarm ? "Save changes" : "Create alarm"}</Button>
      </div>
    </form>
  );
}
