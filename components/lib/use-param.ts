"use client";

import { useParams } from "next/navigation";
import { s3Uri } from "./format";

/** A dynamic route segment, decoded (names may hold characters that travel percent-encoded). */
export function useParam(name: string): string {
  const params = useParams<Record<string, string | string[]>>();
  const raw = params?.[name];
  const value = Array.isArray(raw) ? raw.join("/") : (raw ?? "");
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export const appHref = (app: string) => `/applications/${encodeURIComponent(app)}`;
export const groupHref = (app: string, group: string) => `${appHref(app)}/deployment-groups/${encodeURIComponent(group)}`;
export const deploymentHref = (id: string) => `/deployments/${encodeURIComponent(id)}`;
export const newDeploymentHref = (app?: string, group?: string, revision?: { bucket: string; key: string; bundleType: string }) => {
  const q = new URLSearchParams();
  if (app) q.set("application", app);
  if (group) q.set("group", group);
  if (revision) {
    q.set("revision", s3Uri(revision));
    q.set("bundleType", revision.bundleType);
  }
  const s = q.toString();
  return `/deployments/new${s ? `?${s}` : ""}`;
};
