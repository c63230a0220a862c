/** The sign-in URL that returns to `path` afterwards. */
export function loginHref(path: string): string {
  return path && path !== "/" && !path.startsWith("/login") ? `/login?next=${encodeURIComponent(path)}` : "/login";
}

/** Only same-origin paths are followed after sign-in (no "//evil.example"). */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith("/") || next.startsWith("//")) return "/applications";
  return next;
}
