"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter, useSearchParams } from "next/navigation";
import { useState, type FormEvent } from "react";
import { toFormErrors } from "@/components/lib/errors";
import { safeNext } from "@/components/lib/login-href";
import { useTRPC } from "@/components/lib/trpc";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

export function LoginForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const next = safeNext(useSearchParams().get("next"));
  const [username, setUsername] = useState("admin");
  const [password, setPassword] = useState("");
  const login = useMutation(
    trpc.auth.login.mutationOptions({
      onSuccess: async () => {
        // Anything cached while signed out (UNAUTHORIZED errors) must not survive the sign-in.
        queryClient.clear();
        router.replace(next);
      },
    }),
  );
  const errors = toFormErrors(login.error);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate({ username: username.trim(), password });
  };
  return (
    <form method="post" onSubmit={onSubmit} data-testid="login-form" className="flex flex-col gap-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="text-lg font-bold text-slate-900">Sign in</h1>
      <Field label="Username" htmlFor="username" error={errors.fields.username}>
        <Input id="username" name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} invalid={!!errors.fields.username} />
      </Field>
      <Field label="Password" htmlFor="password" error={errors.fields.password}>
        <Input id="password" name="password" type="password" autoComplete="current-password" required autoFocus value={password} onChange={(e) => setPassword(e.target.value)} invalid={!!errors.fields.password} />
      </Field>
      {errors.message && <Alert type="error">{errors.message}</Alert>}
      <Button type="submit" variant="primary" loading={login.isPending} className="w-full">Sign in</Button>
    </form>
  );
}
