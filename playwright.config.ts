import { defineConfig } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3199);
export const E2E_ADMIN_PASSWORD = "e2e-admin-password";

/**
 * Browser tests drive Debian's Chromium (no Playwright browser download here) against the real
 * server started from a fresh data dir; tests start their own sshd hosts.
 */
export default defineConfig({
  testDir: "test/e2e",
  timeout: 120_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  webServer: {
    command: "rm -rf .slipway-e2e && node scripts/start.mjs",
    url: `http://127.0.0.1:${PORT}/healthz`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORT: String(PORT),
      SLIPWAY_DATA_DIR: ".slipway-e2e",
      SLIPWAY_ADMIN_PASSWORD: E2E_ADMIN_PASSWORD,
      DATABASE_URL: "",
    },
  },
});
