import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { getHost, listHosts, registerHost, removeHost, testHostConnection, trustHostKey, updateHost } from "../../services/hosts";
import { Fingerprint, Name, Tag } from "../inputs";
import { protectedProcedure } from "../trpc";

const Address = z.string().trim().min(1, "Address is required").max(255).regex(/^[A-Za-z0-9.:_-]+$/, "Address must be a host name or an IP address");
const Port = z.coerce.number().int("Port must be a whole number").min(1, "Port must be 1-65535").max(65535, "Port must be 1-65535");
const User = z.string().trim().min(1, "User is required").regex(/^[a-z_][a-z0-9_.-]*\$?$/i, "User must be a Unix user name");
const AgentRoot = z.string().trim().regex(/^\/[^\0]*$/, "Agent root must be an absolute path");
const PrivateKey = z.string().min(1, "A private key is required").max(64 * 1024);

export const RegisterHostInput = z.object({
  name: Name("Name"),
  address: Address,
  port: Port.default(22),
  username: User.default("root"),
  privateKey: PrivateKey,
  agentRoot: AgentRoot.optional(),
  tags: z.array(Tag).max(50).optional(),
  fingerprint: Fingerprint.optional(),
});
export type RegisterHostInput = z.infer<typeof RegisterHostInput>;

export const hostsRouter = {
  list: protectedProcedure.query(({ ctx }) => listHosts(ctx.app)),
  get: protectedProcedure.input(z.object({ name: z.string() })).query(({ ctx, input }) => getHost(ctx.app, input.name)),
  register: protectedProcedure.input(RegisterHostInput).mutation(({ ctx, input }) => registerHost(ctx.app, input)),
  update: protectedProcedure
    .input(
      z.object({
        name: z.string(),
        newName: Name("Name").optional(),
        address: Address.optional(),
        port: Port.optional(),
        username: User.optional(),
        privateKey: PrivateKey.optional(),
        agentRoot: AgentRoot.optional(),
        tags: z.array(Tag).max(50).optional(),
      }),
    )
    .mutation(({ ctx, input }) => updateHost(ctx.app, input)),
  remove: protectedProcedure.input(z.object({ name: z.string() })).mutation(({ ctx, input }) => removeHost(ctx.app, input.name)),
  testConnection: protectedProcedure.input(z.object({ name: z.string() })).mutation(({ ctx, input }) => testHostConnection(ctx.app, input.name)),
  trust: protectedProcedure
    .input(z.object({ name: z.string(), fingerprint: Fingerprint }))
    .mutation(({ ctx, input }) => trustHostKey(ctx.app, input.name, input.fingerprint)),
} satisfies TRPCRouterRecord;
