import type { Invitation, OrganizationDomain } from '@workos-inc/node';
import type { AdminLoaders } from '../data/admin-loaders.ts';
import type { WorkOSLoaders } from '../data/loaders.ts';
import type { Access } from './access.ts';
import { PERMISSIONS } from './permissions.ts';

/** Sessions and factors of the caller read to decide ownership; more than this are not looked through. */
const OWNED_PAGES = 5;
const PAGE = 100;

/**
 * Who may see and change the admin screens' objects, on the rules of src/auth/access.ts:
 * - invitations: a service, an administrator of their organization (admin role or users:manage),
 *   and the invitee, the signed-in user whose email is the invitation's;
 * - organization domains: whoever may read their organization (changes need organizations:manage);
 * - sessions and authentication factors: their user, or a service.
 *
 * Every denial costs the same upstream calls whether the object exists or not: the object and
 * what decides (the viewer's memberships, the viewer's own user, sessions or factors) are read
 * together, so an absent id and another tenant's read alike.
 */
export class AdminAccess {
  constructor(
    private readonly access: Access,
    private readonly admin: AdminLoaders,
    private readonly loaders: WorkOSLoaders,
  ) {}

  private get userId(): string | undefined {
    return this.access.caller.kind === 'user' ? this.access.caller.userId : undefined;
  }

  /** The invitation, if the caller administers its organization's members (null for absent and hidden alike). */
  invitation = async (id: string): Promise<Invitation | null> => {
    const [invitation] = await Promise.all([this.admin.invitation.load(id), this.access.viewerMemberships()]);
    if (!invitation) return null;
    if (this.access.isService) return invitation;
    return invitation.organizationId && (await this.access.canAdminister(invitation.organizationId, PERMISSIONS.users)) ? invitation : null;
  };

  /** The organization an invitation invites to (null when absent or organization-less); the caller's rights are checked on it after. */
  invitationOwner = async (id: string): Promise<string | null> => {
    const [invitation] = await Promise.all([this.admin.invitation.load(id), this.access.viewerMemberships()]);
    return invitation?.organizationId ?? null;
  };

  /** Whether the signed-in user's email is the invitation's (a service is no invitee). */
  private async isInvitee(invitation: Invitation, email: Promise<string | undefined>): Promise<boolean> {
    const mine = await email;
    return mine !== undefined && mine.toLowerCase() === invitation.email.toLowerCase();
  }

  private viewerEmail(): Promise<string | undefined> {
    const userId = this.userId;
    return userId ? this.loaders.user.load(userId).then((u) => u?.email) : Promise.resolve(undefined);
  }

  /** An invitation by its token, for its invitee (or a service): null for an unknown token and another's alike. */
  invitationByToken = async (token: string): Promise<Invitation | null> => {
    const email = this.viewerEmail();
    const [invitation] = await Promise.all([this.admin.invitationByToken.load(token), email]);
    if (!invitation) return null;
    if (this.access.isService) return invitation;
    return (await this.isInvitee(invitation, email)) ? invitation : null;
  };

  /** Whether the caller may accept the invitation: its invitee, or a service. */
  mayAccept = async (id: string): Promise<boolean> => {
    const email = this.viewerEmail();
    const [invitation] = await Promise.all([this.admin.invitation.load(id), email]);
    if (!invitation) return false;
    return this.access.isService || this.isInvitee(invitation, email);
  };

  /** The domain, if the caller may read its organization. */
  organizationDomain = async (id: string): Promise<OrganizationDomain | null> => {
    const [domain] = await Promise.all([this.admin.organizationDomain.load(id), this.access.viewerMemberships()]);
    return domain && (await this.access.canRead(domain.organizationId)) ? domain : null;
  };

  /** The organization of a domain (null when absent); the caller's rights are checked on it after. */
  domainOwner = async (id: string): Promise<string | null> => {
    const [domain] = await Promise.all([this.admin.organizationDomain.load(id), this.access.viewerMemberships()]);
    return domain?.organizationId ?? null;
  };

  /** Whether the session is one of the signed-in user's (a service may revoke any). */
  ownsSession = async (sessionId: string): Promise<boolean> => {
    if (this.access.isService) return true;
    const userId = this.userId;
    if (!userId) return false;
    return this.owned((p) => this.admin.listSessions({ ...p, userId }), sessionId);
  };

  /** Whether the factor is one of the signed-in user's (a service may delete any). */
  ownsAuthFactor = async (factorId: string): Promise<boolean> => {
    if (this.access.isService) return true;
    const userId = this.userId;
    if (!userId) return false;
    return this.owned((p) => this.admin.listAuthFactors({ ...p, userId }), factorId);
  };

  private async owned(
    list: (p: { limit: number; order: 'desc'; after?: string }) => Promise<{ data: { id: string }[]; listMetadata: { after: string | null } }>,
    id: string,
  ): Promise<boolean> {
    let after: string | undefined;
    for (let page = 0; page < OWNED_PAGES; page++) {
      const found = await list({ limit: PAGE, order: 'desc', ...(after ? { after } : {}) });
      if (found.data.some((item) => item.id === id)) return true;
      after = found.listMetadata.after ?? undefined;
      if (!after) return false;
    }
    return false;
  }
}
