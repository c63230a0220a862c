// Makes sure this machine has what the tests need that npm cannot bring: OpenSSH (real test
// hosts), Chromium (browser tests), zip/unzip, util-linux's namespace tools, and a reachable
// PostgreSQL with the test database. `npm test` runs it first; run it alone with
// `node scripts/ensure-system-deps.mjs`. It only installs or starts what is missing, so a
// machine that already has everything passes in well under a second.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";

const BIN_DIRS = ["/usr/sbin", "/usr/bin", "/sbin", "/bin"];
const IS_ROOT = process.getuid?.() === 0;
const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test";

/** Each entry: what the tests use, and the Debian package that provides it. */
const REQUIREMENTS = [
  { label: "sshd", pkg: "openssh-server", found: () => existsSync("/usr/sbin/sshd") },
  { label: "ssh, ssh-keygen, ssh-keyscan", pkg: "openssh-client", found: () => bins("ssh", "ssh-keygen", "ssh-keyscan") },
  { label: "chromium", pkg: "chromium", found: () => existsSync("/usr/bin/chromium") },
  { label: "PostgreSQL server", pkg: "postgresql", found: () => postgresVersions().length > 0 && bins("pg_ctlcluster", "psql") },
  { label: "zip", pkg: "zip", found: () => bins("zip") },
  { label: "unzip", pkg: "unzip", found: () => bins("unzip") },
  { label: "nsenter, unshare, setpriv", pkg: "util-linux", found: () => bins("nsenter", "unshare", "setpriv") },
  { label: "mount", pkg: "mount", found: () => bins("mount") },
];

function bins(...names) {
  return names.every((name) => BIN_DIRS.some((dir) => existsSync(`${dir}/${name}`)));
}

/** Installed server majors, newest first (Debian keeps each under /usr/lib/postgresql/<major>). */
function postgresVersions() {
  if (!existsSync("/usr/lib/postgresql")) return [];
  return readdirSync("/usr/lib/postgresql")
    .filter((v) => existsSync(`/usr/lib/postgresql/${v}/bin/postgres`))
    .sort((a, b) => Number(b) - Number(a));
}

function say(line) {
  console.log(`ensure-system-deps: ${line}`);
}

function fail(line) {
  console.error(`ensure-system-deps: ${line}`);
  process.exit(1);
}

/** Runs a command; `inherit` streams its output (apt-get), otherwise output is captured. */
function sh(cmd, args, { inherit = false, user } = {}) {
  const argv = user ? ["runuser", ["-u", user, "--", cmd, ...args]] : [cmd, args];
  const r = spawnSync(argv[0], argv[1], {
    stdio: inherit ? "inherit" : "pipe",
    encoding: "utf8",
    cwd: "/", // the postgres user cannot enter most work trees
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive", PGCONNECT_TIMEOUT: "3" },
  });
  return { ok: r.status === 0, out: `${r.stdout ?? ""}${r.stderr ?? ""}${r.error?.message ?? ""}` };
}

function installPackages() {
  const missing = REQUIREMENTS.filter((r) => !r.found());
  for (const r of REQUIREMENTS) if (!missing.includes(r)) say(`${r.label}: ok`);
  if (missing.length === 0) return;
  const pkgs = [...new Set(missing.map((r) => r.pkg))];
  for (const r of missing) say(`${r.label}: missing (package ${r.pkg})`);
  const install = `apt-get install -y --no-install-recommends ${pkgs.join(" ")}`;
  if (!IS_ROOT) fail(`not root; run: sudo apt-get update && sudo ${install}`);
  if (!bins("apt-get")) fail(`no apt-get on this machine; install the equivalent of: ${pkgs.join(" ")}`);
  say(`installing ${pkgs.join(" ")}`);
  if (!sh("apt-get", ["update"], { inherit: true }).ok) fail("apt-get update failed");
  if (!sh("apt-get", ["install", "-y", "--no-install-recommends", ...pkgs], { inherit: true }).ok) {
    fail(`${install} failed`);
  }
  const still = REQUIREMENTS.filter((r) => !r.found());
  if (still.length > 0) fail(`still missing after install: ${still.map((r) => r.label).join(", ")}`);
  say("packages installed");
}

// --- PostgreSQL ----------------------------------------------------------------------------------

function tcpAccepts(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** `pg_lsclusters` rows: version, name, port, status. */
function clusters() {
  const r = sh("pg_lsclusters", ["--no-header"]);
  if (!r.ok) return [];
  return r.out
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f.length >= 4 && /^\d/.test(f[0]))
    .map(([version, name, port, status]) => ({ version, name, port: Number(port), status }));
}

/** SQL as the postgres superuser over the local socket: works whatever TCP auth says. */
function superuserSql(port, sql) {
  return sh("psql", ["-X", "-q", "-p", String(port), "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-tAc", sql], {
    user: "postgres",
  });
}

function quoteIdent(name) {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Starts the cluster on `port`, creating one (with the newest installed server) if none exists. */
async function startLocalCluster(port) {
  let cluster = clusters().find((c) => c.port === port);
  if (!cluster) {
    const [version] = postgresVersions();
    const taken = new Set(clusters().filter((c) => c.version === version).map((c) => c.name));
    const name = taken.has("main") ? "test" : "main";
    say(`PostgreSQL: creating cluster ${version}/${name} on port ${port}`);
    const r = sh("pg_createcluster", ["--port", String(port), version, name]);
    if (!r.ok) fail(`pg_createcluster failed:\n${r.out}`);
    cluster = { version, name, port, status: "down" };
  }
  if (cluster.status !== "online") {
    say(`PostgreSQL: starting cluster ${cluster.version}/${cluster.name}`);
    // No systemd here: the redirect to systemctl would fail, pg_ctlcluster itself works.
    const r = sh("pg_ctlcluster", ["--skip-systemctl-redirect", cluster.version, cluster.name, "start"]);
    if (!r.ok) fail(`pg_ctlcluster start failed:\n${r.out}`);
  }
  for (let i = 0; i < 100; i++) {
    if (await tcpAccepts("127.0.0.1", port, 200)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  fail(`PostgreSQL cluster on port ${port} did not come up`);
}

/**
 * Debian's fresh clusters ask TCP clients for a password; tests connect as postgres without one.
 * Trusting loopback is fine on a test machine, and the first matching pg_hba line wins.
 */
function trustLoopback(port) {
  const hba = superuserSql(port, "SHOW hba_file");
  if (!hba.ok) fail(`cannot reach PostgreSQL as the postgres user:\n${hba.out}`);
  const file = hba.out.trim();
  const lines = ["host all all 127.0.0.1/32 trust", "host all all ::1/128 trust"];
  const text = readFileSync(file, "utf8");
  if (!lines.every((l) => text.includes(l))) {
    writeFileSync(file, `# Added by scripts/ensure-system-deps.mjs for tests\n${lines.join("\n")}\n${text}`);
  }
  const reload = superuserSql(port, "SELECT pg_reload_conf()");
  if (!reload.ok) fail(`reloading PostgreSQL failed:\n${reload.out}`);
  say(`PostgreSQL: trusting loopback connections in ${file}`);
}

async function ensurePostgres() {
  const raw = process.env.DATABASE_URL_TEST ?? DEFAULT_DATABASE_URL;
  const url = new URL(raw);
  const host = url.hostname.replace(/^\[|\]$/g, "") || "127.0.0.1";
  const port = Number(url.port || 5432);
  const user = decodeURIComponent(url.username || "postgres");
  const database = decodeURIComponent(url.pathname.slice(1) || user);
  const shown = `${url.protocol}//${user}@${url.host}/${database}`;
  const local = ["127.0.0.1", "localhost", "::1"].includes(host);

  if (!(await tcpAccepts(host, port))) {
    if (!local) fail(`PostgreSQL at ${shown} is not reachable`);
    if (!IS_ROOT) {
      const c = clusters().find((c) => c.port === port);
      const fix = c ? `pg_ctlcluster --skip-systemctl-redirect ${c.version} ${c.name} start` : "node scripts/ensure-system-deps.mjs";
      fail(`PostgreSQL at ${shown} is not running; run: sudo ${fix}`);
    }
    await startLocalCluster(port);
  }

  // Fix what a local server lacks, one problem per round: auth, then role, then database.
  for (let round = 0; round < 4; round++) {
    const probe = sh("psql", ["-X", "-d", raw, "-tAc", "SELECT 1"]);
    if (probe.ok) return say(`PostgreSQL: ${shown} accepts connections`);
    const canFix = local && IS_ROOT;
    if (canFix && /password authentication failed|no password supplied|no pg_hba\.conf entry/.test(probe.out)) {
      trustLoopback(port);
    } else if (canFix && /role ".*" does not exist/.test(probe.out)) {
      const r = superuserSql(port, `CREATE ROLE ${quoteIdent(user)} LOGIN SUPERUSER`);
      if (!r.ok) fail(`creating role ${user} failed:\n${r.out}`);
      say(`PostgreSQL: created role ${user}`);
    } else if (canFix && /database ".*" does not exist/.test(probe.out)) {
      const r = superuserSql(port, `CREATE DATABASE ${quoteIdent(database)} OWNER ${quoteIdent(user)}`);
      if (!r.ok) fail(`creating database ${database} failed:\n${r.out}`);
      say(`PostgreSQL: created database ${database}`);
    } else {
      fail(`PostgreSQL at ${shown} refuses connections:\n${probe.out}`);
    }
  }
  fail(`PostgreSQL at ${shown} still refuses connections`);
}

installPackages();
await ensurePostgres();
