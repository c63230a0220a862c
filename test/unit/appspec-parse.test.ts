import { describe, expect, it } from "vitest";
import { APPSPEC_FILENAMES, AppSpecError, parseAppSpec } from "@/server/appspec/parse";

const HEAD = "version: 0.0\nos: linux\n";

function errorOf(text: string, opts?: { filename?: string }): AppSpecError {
  try {
    parseAppSpec(text, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(AppSpecError);
    return err as AppSpecError;
  }
  throw new Error("expected an AppSpecError");
}

describe("parseAppSpec: a valid appspec", () => {
  it("reads a minimal appspec with empty sections", () => {
    expect(parseAppSpec(HEAD)).toEqual({ version: "0.0", os: "linux", hooks: {}, files: [], permissions: [] });
    expect(APPSPEC_FILENAMES).toEqual(["appspec.yml", "appspec.yaml"]);
  });

  it("reads every section of a full appspec", () => {
    const spec = parseAppSpec(`version: 0.0
os: linux
files:
  - source: /
    destination: /var/www/app
  - source: config/app.conf
    destination: /etc/app
permissions:
  - object: /var/www/app
    pattern: "*.sh"
    except: [skip.sh]
    owner: www-data
    group: www-data
    mode: 0755
    type:
      - file
hooks:
  BeforeInstall:
    - location: scripts/stop.sh
  AfterInstall:
    - location: "  /scripts/migrate.sh  "
      timeout: 300
      runas: deploy
      sudo: true
file_exists_behavior: OVERWRITE
`);
    expect(spec).toEqual({
      version: "0.0",
      os: "linux",
      files: [
        { source: "/", destination: "/var/www/app" },
        { source: "config/app.conf", destination: "/etc/app" },
      ],
      permissions: [
        {
          object: "/var/www/app",
          pattern: "*.sh",
          except: ["skip.sh"],
          owner: "www-data",
          group: "www-data",
          mode: "0755",
          type: ["file"],
        },
      ],
      hooks: {
        BeforeInstall: [{ location: "scripts/stop.sh", timeout: 3600 }],
        AfterInstall: [{ location: "/scripts/migrate.sh", timeout: 300, runas: "deploy", sudo: true }],
      },
      fileExistsBehavior: "OVERWRITE",
    });
  });

  it('accepts the version as the string "0.0" and ignores unknown top-level keys', () => {
    expect(parseAppSpec('version: "0.0"\nos: linux\nextra: [1, 2]\n').version).toBe("0.0");
  });

  it("resolves anchors and merge keys", () => {
    const spec = parseAppSpec(`${HEAD}x-base: &base
  location: run.sh
  timeout: 60
hooks:
  ApplicationStart:
    - <<: *base
      runas: app
    - *base
`);
    expect(spec.hooks.ApplicationStart).toEqual([
      { location: "run.sh", timeout: 60, runas: "app" },
      { location: "run.sh", timeout: 60 },
    ]);
  });
});

describe("parseAppSpec: empty and malformed files", () => {
  const EMPTY =
    "The deployment failed because the application specification file was empty. Make sure your AppSpec file defines at minimum the 'version' and 'os' properties.";

  it.each(["", "   \n\n", "# nothing here\n", "~\n", "---\n"])("rejects %j as empty", (text) => {
    expect(errorOf(text).message).toBe(EMPTY);
  });

  it("names the YAML problem and its line", () => {
    const err = errorOf("version: 0.0\nos: linux\nhooks: [\n  a: b: c\n");
    expect(err.name).toBe("AppSpecError");
    expect(err.message).toMatch(/^The deployment failed because the application specification file is not valid YAML: .+ at line \d+, column \d+\./);
  });

  it("rejects a document that is not a mapping", () => {
    expect(errorOf("- version\n- os\n").message).toMatch(/is a list, not a mapping of keys/);
  });
});

describe("parseAppSpec: version and os", () => {
  it("rejects a version other than 0.0, quoting it as written", () => {
    expect(errorOf("version: 0.1\nos: linux\n").message).toBe(
      'The deployment failed because an invalid version value (0.1) was entered in the application specification file. Make sure your AppSpec file specifies "0.0" as the version, and then try again.',
    );
    expect(errorOf("version: 1.0\nos: linux\n").message).toContain("(1.0)");
    expect(errorOf('version: "1"\nos: linux\n').message).toContain("(1)");
  });

  it("names a missing version", () => {
    expect(errorOf("os: linux\n").message).toBe(
      'The deployment failed because no version value was entered in the application specification file. Make sure your AppSpec file specifies "0.0" as the version, and then try again.',
    );
  });

  it("rejects windows as unsupported on Slipway", () => {
    expect(errorOf("version: 0.0\nos: windows\n").message).toMatch(/windows operating system, which Slipway does not support/);
  });

  it("rejects any other os, case-sensitively", () => {
    expect(errorOf("version: 0.0\nos: Linux\n").message).toBe(
      "The deployment failed because the application specification file specifies an invalid OS (Linux). Valid values: linux",
    );
    expect(errorOf("version: 0.0\n").message).toBe(
      "The deployment failed because the application specification file does not specify an OS. Valid values: linux",
    );
  });

  it("reports the first error in the agent's order, whatever the order in the file", () => {
    const sections: [good: string, bad: string, error: RegExp][] = [
      ["version: 0.0", "version: 0.1", /invalid version/],
      ["os: linux", "os: solaris", /invalid OS/],
      ["hooks: {}", "hooks: {Nope: []}", /unknown lifecycle events/],
      ["files: []", "files: [{destination: /x}]", /no source file/],
      ["permissions: []", "permissions: [{mode: 644}]", /no object value/],
      ["", "file_exists_behavior: KEEP", /file_exists_behavior/],
    ];
    sections.forEach(([, , error], i) => {
      // This section and every later one are broken; the file lists them last-first.
      const lines = sections.map(([good, bad], j) => (j < i ? good : bad)).reverse();
      expect(errorOf(lines.join("\n")).message).toMatch(error);
    });
  });
});

describe("parseAppSpec: hooks", () => {
  it("lists unknown lifecycle events with the agent's wording and the file's name", () => {
    const text = `${HEAD}hooks:\n  Install:\n    - location: a.sh\n  AfterInstall:\n  Foo:\n`;
    expect(errorOf(text).message).toBe("appspec.yml file contains unknown lifecycle events: [Install, Foo]");
    expect(errorOf(text, { filename: "appspec.yaml" }).message).toMatch(/^appspec.yaml file contains/);
  });

  it("ignores an event with a null value and accepts load-balancer events", () => {
    const spec = parseAppSpec(`${HEAD}hooks:\n  BeforeInstall:\n  BeforeAllowTraffic:\n    - location: lb.sh\n`);
    expect(spec.hooks).toEqual({ BeforeAllowTraffic: [{ location: "lb.sh", timeout: 3600 }] });
  });

  it("requires a location, naming the event", () => {
    for (const script of ["- timeout: 30", "- location: '   '", "- location:", "- just-a-string"]) {
      expect(errorOf(`${HEAD}hooks:\n  ValidateService:\n    ${script}\n`).message).toBe(
        "The deployment failed because the application specification file specifies a script with no location value for the ValidateService lifecycle event. Specify the location in the hooks section of the AppSpec file, and then try again.",
      );
    }
  });

  it('accepts a numeric string timeout such as "30"', () => {
    const spec = parseAppSpec(`${HEAD}hooks:\n  AfterInstall:\n    - location: a.sh\n      timeout: "30"\n`);
    expect(spec.hooks.AfterInstall?.[0].timeout).toBe(30);
  });

  it.each(["0", "-5", "1.5", "abc", "'10s'", "[1]"])("rejects the timeout %s, naming it", (timeout) => {
    const message = errorOf(`${HEAD}hooks:\n  AfterInstall:\n    - location: a.sh\n      timeout: ${timeout}\n`).message;
    expect(message).toMatch(/^The deployment failed because an invalid timeout value \(.*\) was provided for the script a.sh in the AfterInstall lifecycle event/);
    expect(message).toContain(timeout === "[1]" ? "(a list)" : `(${timeout.replace(/'/g, "")})`);
  });

  it("reads sudo as YAML 1.1 does (yes/no), like the agent, and rejects other values", () => {
    const spec = parseAppSpec(`${HEAD}hooks:\n  AfterInstall:\n    - location: a.sh\n      sudo: yes\n`);
    expect(spec.hooks.AfterInstall?.[0].sudo).toBe(true);
    expect(errorOf(`${HEAD}hooks:\n  AfterInstall:\n    - location: a.sh\n      sudo: maybe\n`).message).toMatch(/invalid sudo value \(maybe\)/);
  });

  it("rejects hooks that are not a mapping, and scripts that are not a list", () => {
    expect(errorOf(`${HEAD}hooks: [a]\n`).message).toMatch(/hooks section .* is a list, not a mapping/);
    expect(errorOf(`${HEAD}hooks:\n  AfterInstall:\n    location: a.sh\n`).message).toMatch(/scripts for the AfterInstall lifecycle event .* are a mapping, not a list/);
  });
});

describe("parseAppSpec: files", () => {
  it("rejects a mapping without a source", () => {
    expect(errorOf(`${HEAD}files:\n  - destination: /opt/app\n`).message).toBe(
      "The deployment failed because the application specification file specifies a destination file, but no source file. Update the files section of the AppSpec file, and then try again.",
    );
  });

  it("rejects a mapping without a destination, naming the source", () => {
    expect(errorOf(`${HEAD}files:\n  - source: build\n`).message).toBe(
      "The deployment failed because the application specification file specifies only a source file (build). Add the name of the destination file to the files section of the AppSpec file, and then try again.",
    );
  });

  it("rejects a relative destination and a files section that is not a list", () => {
    expect(errorOf(`${HEAD}files:\n  - source: /\n    destination: opt/app\n`).message).toMatch(/destination \(opt\/app\) for the source \/ that is not an absolute path/);
    expect(errorOf(`${HEAD}files:\n  source: /\n`).message).toMatch(/files section .* is a mapping, not a list/);
  });
});

describe("parseAppSpec: permissions", () => {
  const perm = (body: string) => `${HEAD}permissions:\n  - object: /opt/app\n${body}`;

  it("defaults pattern to ** and except to []", () => {
    expect(parseAppSpec(perm("    owner: app\n")).permissions).toEqual([
      { object: "/opt/app", pattern: "**", except: [], owner: "app" },
    ]);
  });

  it("reads the mode as the text written, so 0644 stays 0644", () => {
    const mode = (m: string) => parseAppSpec(perm(`    mode: ${m}\n`)).permissions[0].mode;
    expect(mode("0644")).toBe("0644");
    expect(mode("644")).toBe("644");
    expect(mode('"0755"')).toBe("0755");
    expect(mode("4")).toBe("4");
  });

  it("rejects a mode that is too long or not octal", () => {
    expect(errorOf(perm("    mode: 12345\n")).message).toBe(
      "The deployment failed because the length of a permissions mode (12345) in the application specification file is invalid. Permissions modes must be between one and four characters long. Update the permissions section of the AppSpec file, and then try again.",
    );
    expect(errorOf(perm("    mode: 0o64\n")).message).toBe(
      "The deployment failed because the permissions mode (0o64) in the application specification file contains an invalid character (o). Update the permissions section of the AppSpec file, and then try again.",
    );
    expect(errorOf(perm("    mode: 648\n")).message).toContain("invalid character (8)");
  });

  it("requires an object", () => {
    expect(errorOf(`${HEAD}permissions:\n  - owner: app\n`).message).toBe(
      "The deployment failed because a permission listed in the application specification file has no object value. Update the permissions section of the AppSpec file, and then try again.",
    );
  });

  it("accepts only file and directory types", () => {
    expect(parseAppSpec(perm("    type: [directory]\n")).permissions[0].type).toEqual(["directory"]);
    expect(errorOf(perm("    type: [file, socket]\n")).message).toBe(
      "The deployment failed because the application specification file specifies a permission for an object type not supported for permissions (socket). Update the permissions section of the AppSpec file, and then try again.",
    );
  });

  it("rejects an except that is not a list, an owner with a colon, and ACLs (not applied yet)", () => {
    expect(errorOf(perm("    except: a.txt\n")).message).toMatch(/except parameter .* \(a.txt\) for the object named \/opt\/app/);
    expect(errorOf(perm("    owner: a:b\n")).message).toMatch(/invalid owner \(a:b\)/);
    expect(errorOf(perm("    acls: [u:bob:rw]\n")).message).toMatch(/specifies acls, which Slipway does not support yet/);
  });
});

describe("parseAppSpec: file_exists_behavior", () => {
  it.each(["DISALLOW", "OVERWRITE", "RETAIN"])("accepts %s", (value) => {
    expect(parseAppSpec(`${HEAD}file_exists_behavior: ${value}\n`).fileExistsBehavior).toBe(value);
  });

  it("rejects anything else, naming the value", () => {
    expect(errorOf(`${HEAD}file_exists_behavior: overwrite\n`).message).toBe(
      "The deployment failed because the application specification file specifies an invalid file_exists_behavior value (overwrite). Valid values: DISALLOW, OVERWRITE, RETAIN",
    );
  });
});
