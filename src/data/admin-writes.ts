import type {
  AuditLogsRetention,
  AuthenticationFactorWithSecrets,
  Challenge,
  GenerateLinkIntent,
  Invitation,
  OrganizationDomain,
  UpdateAuditLogsRetentionRetentionPeriod,
  WidgetSessionTokenScopes,
  WorkOS,
} from '@workos-inc/node';
import type { Change } from '../cache/invalidation.ts';
import { asAdminMutationError } from '../errors/admin-errors.ts';
import type { AdminLoaders } from './admin-loaders.ts';
import type { WorkOSLoaders } from './loaders.ts';

async function attempt<T>(run: () => Promise<T>, id?: string): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw asAdminMutationError(error, id);
  }
}

/** Retention days as the SDK's period names: 30-day months up to 11, then 365-day years up to 10. */
export function retentionPeriodOf(days: number): UpdateAuditLogsRetentionRetentionPeriod | undefined {
  if (days % 365 === 0 && days / 365 >= 1 && days / 365 <= 10) {
    const years = days / 365;
    return `${years}_${years === 1 ? 'YEAR' : 'YEARS'}` as UpdateAuditLogsRetentionRetentionPeriod;
  }
  if (days % 30 === 0 && days / 30 >= 1 && days / 30 <= 11) {
    const months = days / 30;
    return `${months}_${months === 1 ? 'MONTH' : 'MONTHS'}` as UpdateAuditLogsRetentionRetentionPeriod;
  }
  return undefined;
}

export interface EnrolledFactor {
  factor: AuthenticationFactorWithSecrets;
  challenge: Challenge;
}

/**
 * The admin screens' writes, in one place as in WorkOSWrites: each keeps this request's loaders
 * true (the written object primed, lists read before it dropped) and tells the cross-request
 * cache what changed. Links, tokens and secrets they return go back to the caller only: nothing
 * here logs them.
 */
export class AdminWrites {
  constructor(
    private readonly workos: WorkOS,
    private readonly admin: AdminLoaders,
    private readonly loaders: WorkOSLoaders,
    private readonly changes?: { changed(change: Change): void },
  ) {}

  /** Memberships changed (an invitation adds, activates or removes one): no membership list read before stays. */
  private membershipsChanged(invitation: Invitation): void {
    this.loaders.forgetLists();
    if (invitation.organizationId) {
      // The membership's id is not known here; its organization (and, once accepted, its user) is.
      this.changes?.changed({ kind: 'membership', id: invitation.id, organizationId: invitation.organizationId, userId: invitation.acceptedUserId ?? undefined });
    }
  }

  /** The organization's embedded domains changed. */
  private organizationChanged(organizationId: string): void {
    this.loaders.forget('organization', organizationId);
    this.changes?.changed({ kind: 'organization', id: organizationId });
  }

  async sendInvitation(input: { organizationId: string; email: string; roleSlug?: string; expiresInDays?: number; inviterUserId?: string }): Promise<Invitation> {
    const invitation = await attempt(() => this.workos.userManagement.sendInvitation(input));
    // An existing user is now a pending member.
    this.membershipsChanged(invitation);
    return this.admin.rememberInvitation(invitation);
  }

  async resendInvitation(id: string): Promise<Invitation> {
    return this.admin.rememberInvitation(await attempt(() => this.workos.userManagement.resendInvitation(id), id));
  }

  async revokeInvitation(id: string): Promise<Invitation> {
    const invitation = await attempt(() => this.workos.userManagement.revokeInvitation(id), id);
    this.membershipsChanged(invitation);
    return this.admin.rememberInvitation(invitation);
  }

  async acceptInvitation(id: string): Promise<Invitation> {
    const invitation = await attempt(() => this.workos.userManagement.acceptInvitation(id), id);
    this.membershipsChanged(invitation);
    return this.admin.rememberInvitation(invitation);
  }

  async createOrganizationDomain(organizationId: string, domain: string): Promise<OrganizationDomain> {
    const created = await attempt(() => this.workos.organizationDomains.createOrganizationDomain({ organizationId, domain }), organizationId);
    this.organizationChanged(organizationId);
    return this.admin.rememberDomain(created);
  }

  async verifyOrganizationDomain(id: string): Promise<OrganizationDomain> {
    const domain = await attempt(() => this.workos.organizationDomains.verifyOrganizationDomain(id), id);
    this.organizationChanged(domain.organizationId);
    return this.admin.rememberDomain(domain);
  }

  async deleteOrganizationDomain(id: string, organizationId: string): Promise<void> {
    await attempt(() => this.workos.organizationDomains.deleteOrganizationDomain(id), id);
    this.admin.forgetDomain(id);
    this.organizationChanged(organizationId);
  }

  async generatePortalLink(input: { organizationId: string; intent: GenerateLinkIntent; returnUrl?: string; successUrl?: string }): Promise<string> {
    const { link } = await attempt(
      () => this.workos.adminPortal.generateLink({ organization: input.organizationId, intent: input.intent, returnUrl: input.returnUrl, successUrl: input.successUrl }),
      input.organizationId,
    );
    return link;
  }

  async createWidgetToken(input: { organizationId: string; userId?: string; scopes: WidgetSessionTokenScopes[] }): Promise<string> {
    const { token } = await attempt(() => this.workos.widgets.createToken(input), input.organizationId);
    return token;
  }

  async revokeSession(sessionId: string): Promise<void> {
    await attempt(() => this.workos.userManagement.revokeSession({ sessionId }), sessionId);
    this.admin.forgetSessions();
  }

  async enrollTotpFactor(userId: string, options: { issuer?: string; user?: string }): Promise<EnrolledFactor> {
    const { authenticationFactor, authenticationChallenge } = await attempt(
      () => this.workos.multiFactorAuth.createUserAuthFactor({ userId, type: 'totp', totpIssuer: options.issuer, totpUser: options.user }),
      userId,
    );
    this.admin.forgetAuthFactors();
    return { factor: authenticationFactor, challenge: authenticationChallenge };
  }

  async deleteAuthFactor(id: string): Promise<void> {
    await attempt(() => this.workos.multiFactorAuth.deleteFactor(id), id);
    this.admin.forgetAuthFactors();
  }

  async updateAuditLogRetention(organizationId: string, retentionPeriod: UpdateAuditLogsRetentionRetentionPeriod): Promise<AuditLogsRetention> {
    const retention = await attempt(() => this.workos.auditLogs.updateOrganizationAuditLogsRetention({ id: organizationId, retentionPeriod }), organizationId);
    this.admin.rememberRetention(organizationId, retention);
    return retention;
  }
}
