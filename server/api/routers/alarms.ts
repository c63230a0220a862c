import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import {
  createAlarm,
  evaluateAlarmNow,
  getAlarm,
  listAlarmResults,
  listAlarms,
  removeAlarm,
  updateAlarm,
} from "../../services/alarms";
import { HOST_PLACEHOLDER } from "../../alarms/checks";
import { Name } from "../inputs";
import { protectedProcedure } from "../trpc";

const int = (what: string, min: number, max: number) =>
  z.coerce
    .number({ message: `${what} must be a number` })
    .int(`${what} must be a whole number`)
    .min(min, `${what} must be ${min}-${max}`)
    .max(max, `${what} must be ${min}-${max}`);

/** http(s) only; {host} stands for each host's address, so the URL must parse with it filled in. */
const AlarmUrl = z
  .string({ message: "An HTTP check needs a URL" })
  .trim()
  .min(1, "An HTTP check needs a URL")
  .max(2048, "The URL must be at most 2048 characters")
  .refine((u) => /^https?:\/\//i.test(u), "The URL must start with http:// or https://")
  .refine((u) => URL.canParse(u.split(HOST_PLACEHOLDER).join("host.example")), "The URL is not valid (use {host} for each host's address)");

const Common = {
  name: Name("Alarm name"),
  timeoutSeconds: int("Timeout", 1, 60).default(5),
  intervalSeconds: int("Interval", 1, 3600).default(10),
  failuresToAlarm: int("Failures to alarm", 1, 100).default(3),
};

const HttpAlarm = z.object({
  ...Common,
  type: z.literal("http"),
  url: AlarmUrl,
  expectedStatus: int("Expected status", 100, 599).default(200),
  bodyContains: z.string().max(1024, "Body text must be at most 1024 characters").nullish(),
});

const CommandAlarm = z.object({
  ...Common,
  type: z.literal("command"),
  command: z
    .string({ message: "A command check needs a command" })
    .trim()
    .min(1, "A command check needs a command")
    .max(4096, "The command must be at most 4096 characters")
    .refine((c) => !c.includes("\0"), "The command cannot contain a NUL byte"),
});

const TYPE_MESSAGE = { message: "Type must be http (HTTP check) or command (command on each host)" };

export const CreateAlarmInput = z.discriminatedUnion("type", [HttpAlarm, CommandAlarm], TYPE_MESSAGE);
export type CreateAlarmInput = z.infer<typeof CreateAlarmInput>;

const CurrentName = { currentName: z.string().min(1) };
export const UpdateAlarmInput = z.discriminatedUnion("type", [HttpAlarm.extend(CurrentName), CommandAlarm.extend(CurrentName)], TYPE_MESSAGE);
export type UpdateAlarmInput = z.infer<typeof UpdateAlarmInput>;

const AlarmRef = z.object({ name: z.string().min(1) });

export const alarmsRouter = {
  list: protectedProcedure.query(({ ctx }) => listAlarms(ctx.app)),
  get: protectedProcedure.input(AlarmRef).query(({ ctx, input }) => getAlarm(ctx.app, input.name)),
  create: protectedProcedure.input(CreateAlarmInput).mutation(({ ctx, input }) => createAlarm(ctx.app, input)),
  update: protectedProcedure.input(UpdateAlarmInput).mutation(({ ctx, input }) => updateAlarm(ctx.app, input)),
  remove: protectedProcedure.input(AlarmRef).mutation(({ ctx, input }) => removeAlarm(ctx.app, input.name)),
  results: protectedProcedure
    .input(AlarmRef.extend({ limit: z.number().int().min(1).max(200).default(50) }))
    .query(({ ctx, input }) => listAlarmResults(ctx.app, input.name, input.limit)),
  evaluate: protectedProcedure
    .input(AlarmRef.extend({ applicationName: z.string().min(1, "Choose an application"), deploymentGroupName: z.string().min(1, "Choose a deployment group") }))
    .mutation(({ ctx, input }) => evaluateAlarmNow(ctx.app, input)),
} satisfies TRPCRouterRecord;
