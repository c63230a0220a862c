/**
 * The GetFix static-site revision of the demo and of the failure-demonstration browser test: an
 * index.html installed into /var/www/html, and the four hooks a small site has. Pure data, so
 * the browser tests can import it without the server.
 */
export function staticSiteRevision(
  version: string,
  opts: { colour?: string; beforeInstall?: string } = {},
): Record<string, string> {
  const style = `font-family:sans-serif${opts.colour ? `;background:${opts.colour}` : ""}`;
  return {
    "appspec.yml": [
      "version: 0.0",
      "os: linux",
      "files:",
      "  - source: /site",
      "    destination: /var/www/html",
      "hooks:",
      "  ApplicationStop:",
      "    - location: scripts/stop.sh",
      "  BeforeInstall:",
      "    - location: scripts/before-install.sh",
      "      timeout: 120",
      "  ApplicationStart:",
      "    - location: scripts/start.sh",
      "  ValidateService:",
      "    - location: scripts/validate.sh",
      "",
    ].join("\n"),
    "scripts/stop.sh": `#!/bin/sh\necho "Stopping the site on $(hostname) before ${version} replaces it"\n`,
    "scripts/before-install.sh":
      opts.beforeInstall ?? `#!/bin/sh\necho "Preparing $(hostname) for ${version} (deployment $DEPLOYMENT_ID)"\n`,
    "scripts/start.sh": `#!/bin/sh\necho "Starting ${version} on $(hostname)"\n`,
    "scripts/validate.sh": `#!/bin/sh\ngrep -q "GetFix ${version}" /var/www/html/index.html && echo "index.html serves ${version}"\n`,
    "site/index.html": `<!doctype html><title>GetFix ${version}</title><body style="${style}"><h1>GetFix ${version}</h1></body>\n`,
  };
}
