import { defineCommand } from "../lib/command";
import { formatJson } from "../lib/output";
import { oneOfValues } from "../lib/shorthand";
import { APPLICATION_NAME } from "../lib/options";


export const createApplication = defineCommand({
  name: "create-application",
  operation: "CreateApplication",
  summary: "Create an application.",
  options: {
    "application-name": APPLICATION_NAME,
    "compute-platform": { type: "string", placeholder: "Server", description: "Only Server: Slipway deploys to hosts over SSH." },
  },
  async run(o, env) {
    oneOfValues("compute-platform", o["compute-platform"], ["Server"] as const);
    const app = await (await env.api()).applications.create.mutate({ applicationName: o["application-name"]! });
    env.out(formatJson({ applicationId: app.applicationId }));
  },
});

export const getApplication = defineCommand({
  name: "get-application",
  operation: "GetApplication",
  summary: "Show an application.",
  options: { "application-name": APPLICATION_NAME },
  async run(o, env) {
    const a = await (await env.api()).applications.get.query({ applicationName: o["application-name"]! });
    env.out(
      formatJson({
        application: {
          applicationId: a.applicationId,
          applicationName: a.applicationName,
          createTime: a.createTime,
          linkedToGitHub: false,
          computePlatform: a.computePlatform,
        },
      }),
    );
  },
});

export const listApplications = defineCommand({
  name: "list-applications",
  operation: "ListApplications",
  summary: "List application names.",
  options: {},
  async run(_o, env) {
    const apps = await (await env.api()).applications.list.query();
    env.out(formatJson({ applications: apps.map((a) => a.applicationName) }));
  },
});

export const deleteApplication = defineCommand({
  name: "delete-application",
  operation: "DeleteApplication",
  summary: "Delete an application with its deployment groups and deployment history.",
  options: { "application-name": APPLICATION_NAME },
  async run(o, env) {
    await (await env.api()).applications.remove.mutate({ applicationName: o["application-name"]! });
  },
});

export const listApplicationRevisions = defineCommand({
  name: "list-application-revisions",
  operation: "ListApplicationRevisions",
  summary: "List an application's registered revisions, newest first.",
  options: { "application-name": APPLICATION_NAME },
  async run(o, env) {
    const revisions = await (await env.api()).revisions.list.query({ applicationName: o["application-name"]! });
    env.out(formatJson({ revisions: revisions.map((r) => ({ revisionType: r.revisionType, s3Location: r.s3Location })) }));
  },
});
