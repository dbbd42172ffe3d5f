import type { Access } from '../auth/access.ts';
import type { AdminAccess } from '../auth/admin-access.ts';
import type { AdminLoaders } from '../data/admin-loaders.ts';
import type { AdminWrites } from '../data/admin-writes.ts';
import type { Caller } from '../auth/caller.ts';
import type { RequestSession } from '../auth/session.ts';
import type { SignIn } from '../auth/sign-in.ts';
import type { EventHub } from '../events/hub.ts';
import type { WorkOSLoaders } from '../data/loaders.ts';
import type { WorkOSWrites } from '../data/writes.ts';
import type { CallerScopes } from '../transport/call-scope.ts';
import type { IdPrefixes } from '../workos/ids.ts';

/** What every resolver gets: this request's loaders (reads), writes and limits. */
export interface GatewayContext {
  loaders: WorkOSLoaders;
  writes: WorkOSWrites;
  limits: { maxPageSize: number };
  /** The client's address, for audit event context. */
  clientAddress: string;
  /** Who sent the request (from its Authorization header); fixed for the request. */
  caller: Caller;
  /** What the caller may see and change; by-id reads that hide what the caller may not see. */
  access: Access;
  /** Sign-in through WorkOS AuthKit, behind the gateway's attempt limits. */
  signIn: SignIn;
  /** The AuthKit session: where sign-ins put it (the cookie in cookie mode) and sign-out. */
  session: RequestSession;
  /** WorkOS events as they arrive (subscriptions). */
  events: EventHub;
  /** Runs work in the caller's upstream scope (tenant, client signal, budget): the request, or one subscription event. */
  upstream: CallerScopes;
  /** The id prefixes this upstream uses, learned from what it returned (node(id) dispatch). */
  idPrefixes: IdPrefixes;
  /** The admin screens' data (invitations, roles, domains, sessions, factors, audit log settings): loaders, writes, access. */
  admin: { loaders: AdminLoaders; writes: AdminWrites; access: AdminAccess };
}
