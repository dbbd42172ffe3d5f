import {
  type AuditLogExport,
  type AuditLogExportOptions,
  type CreateAuditLogEventOptions,
  type CreateOrganizationOptions,
  type CreateUserOptions,
  type Organization,
  type OrganizationMembership,
  type UpdateOrganizationOptions,
  type UpdateUserOptions,
  type User,
  type WorkOS,
} from '@workos-inc/node';
import { createHash, randomUUID } from 'node:crypto';
import { asMutationError, tooManyAttempts } from '../errors/upstream.ts';
import type { WorkOSLoaders } from './loaders.ts';
import type { Change } from '../cache/invalidation.ts';

/**
 * WorkOS keeps idempotency keys per API key, that is for every tenant of the gateway at once: a
 * caller's key is namespaced by its organization, deterministically, so the same key from two
 * organizations never collides and a retry from the same one still matches.
 */
export const organizationKey = (organizationId: string, key: string): string =>
  `org-${createHash('sha256').update(`${organizationId}\0${key}`).digest('base64url')}`;

async function attempt<T>(run: () => Promise<T>, id?: string): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw asMutationError(error, id);
  }
}

/**
 * Every write, in one place, so each keeps this request's loaders true: a written object is
 * primed, a deleted one forgotten, and list pages read before the write are dropped.
 */
export class WorkOSWrites {
  constructor(
    private readonly workos: WorkOS,
    private readonly loaders: WorkOSLoaders,
    /**
     * Remembers each export's organization: WorkOS' export object does not carry it, authorization
     * needs it. Its promise never rejects (shared state it cannot reach is skipped).
     */
    private readonly exportOwners?: { remember(exportId: string, organizationId: string): Promise<void> },
    /** Told of every change at once, so the cross-request cache drops what it made stale without waiting for the event. */
    private readonly changes?: { changed(change: Change): void },
  ) {}

  /** A written object: this request reads it, and the shared cache drops what it made stale. */
  private written<T extends { id: string; userId?: string; organizationId?: string }>(kind: Change['kind'], value: T): T {
    this.changes?.changed({ kind, id: value.id, userId: value.userId, organizationId: value.organizationId });
    return value;
  }

  private forget(kind: Change['kind'], id: string): void {
    this.loaders.forget(kind, id);
    this.changes?.changed({ kind, id });
  }

  async createOrganization(input: CreateOrganizationOptions): Promise<Organization> {
    // The key makes a retried create safe: WorkOS answers a repeat with the first result.
    const org = await attempt(() => this.workos.organizations.createOrganization(input, { idempotencyKey: randomUUID() }));
    return this.written('organization', this.loaders.remember('organization', org));
  }

  async updateOrganization(input: UpdateOrganizationOptions): Promise<Organization> {
    const org = await attempt(() => this.workos.organizations.updateOrganization(input), input.organization);
    return this.written('organization', this.loaders.remember('organization', org));
  }

  async deleteOrganization(id: string): Promise<void> {
    await attempt(() => this.workos.organizations.deleteOrganization(id), id);
    this.forget('organization', id);
  }

  async createUser(input: CreateUserOptions): Promise<User> {
    const user = await attempt(() => this.workos.userManagement.createUser(input));
    return this.written('user', this.loaders.remember('user', user));
  }

  async updateUser(input: UpdateUserOptions): Promise<User> {
    const user = await attempt(() => this.workos.userManagement.updateUser(input), input.userId);
    return this.written('user', this.loaders.remember('user', user));
  }

  async deleteUser(id: string): Promise<void> {
    await attempt(() => this.workos.userManagement.deleteUser(id), id);
    this.forget('user', id);
  }

  async createMembership(input: { organizationId: string; userId: string; roleSlug?: string }): Promise<OrganizationMembership> {
    const membership = await attempt(() => this.workos.userManagement.createOrganizationMembership(input));
    return this.written('membership', this.loaders.remember('membership', membership));
  }

  async updateMembershipRole(id: string, roleSlug: string): Promise<OrganizationMembership> {
    const membership = await attempt(() => this.workos.userManagement.updateOrganizationMembership(id, { roleSlug }), id);
    return this.written('membership', this.loaders.remember('membership', membership));
  }

  async deactivateMembership(id: string): Promise<OrganizationMembership> {
    const m = await attempt(() => this.workos.userManagement.deactivateOrganizationMembership(id), id);
    return this.written('membership', this.loaders.remember('membership', m));
  }

  async reactivateMembership(id: string): Promise<OrganizationMembership> {
    const m = await attempt(() => this.workos.userManagement.reactivateOrganizationMembership(id), id);
    return this.written('membership', this.loaders.remember('membership', m));
  }

  async deleteMembership(id: string): Promise<void> {
    await attempt(() => this.workos.userManagement.deleteOrganizationMembership(id), id);
    this.forget('membership', id);
  }

  async deleteConnection(id: string): Promise<void> {
    await attempt(() => this.workos.sso.deleteConnection(id), id);
    this.forget('connection', id);
  }

  async deleteDirectory(id: string): Promise<void> {
    await attempt(() => this.workos.directorySync.deleteDirectory(id), id);
    this.forget('directory', id);
  }

  async sendPasswordReset(email: string): Promise<{ id: string; expiresAt: string }> {
    // WorkOS sends at most 3 per email per 60 s; the queue's bucket for that email keeps to it.
    const reset = await this.workos.userManagement.createPasswordReset({ email }).catch((error: unknown) => {
      throw tooManyAttempts(error) ?? asMutationError(error);
    });
    // The reset token is a secret for the user's inbox; it never goes back to the caller.
    return { id: reset.id, expiresAt: reset.expiresAt };
  }

  async createAuditLogEvent(organizationId: string, event: CreateAuditLogEventOptions, idempotencyKey?: string): Promise<void> {
    const key = idempotencyKey === undefined ? undefined : organizationKey(organizationId, idempotencyKey);
    await attempt(() => this.workos.auditLogs.createEvent(organizationId, event, { idempotencyKey: key }), organizationId);
  }

  async createAuditLogExport(options: AuditLogExportOptions): Promise<AuditLogExport> {
    const exp = await attempt(() => this.workos.auditLogs.createExport(options), options.organizationId);
    // Awaited so that every instance knows the owner once the caller has the id.
    await this.exportOwners?.remember(exp.id, options.organizationId);
    return this.loaders.remember('auditLogExport', exp);
  }
}
