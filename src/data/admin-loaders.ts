import type {
  AuditLogSchema,
  AuditLogsRetention,
  AuthenticationFactor,
  Invitation,
  OrganizationDomain,
  Role,
  Session,
  WorkOS,
} from '@workos-inc/node';
import DataLoader from 'dataloader';
import { getOrNull, oneByOne } from './batch-plan.ts';
import { toGatewayError } from '../errors/upstream.ts';
import { UPSTREAM_PAGE_LIMIT, type Page, type PageParams } from './pagination.ts';

/** An audit log action as WorkOS lists it (the SDK has no method for this list): its name is its cursor. */
export interface AuditLogAction {
  /** The action's name, also its list cursor. */
  id: string;
  name: string;
  /** The latest schema version. */
  schema: AuditLogSchema;
  createdAt: string;
  updatedAt: string;
}

interface AuditLogActionWire {
  name: string;
  schema: {
    version: number;
    actor?: { metadata: Record<string, unknown> };
    targets: { type: string; metadata?: Record<string, unknown> }[];
    metadata?: Record<string, unknown>;
    created_at: string;
  };
  created_at: string;
  updated_at: string;
}

const pageOf = <T>(list: { data: T[]; listMetadata: { before?: string | null; after?: string | null } }): Page<T> => ({
  data: list.data,
  listMetadata: { before: list.listMetadata.before ?? null, after: list.listMetadata.after ?? null },
});

/** WorkOS' schema metadata is a JSON schema (`{ type: 'object', properties }`): the SDK's form keeps each property's type. */
function metadataTypes(schema: Record<string, unknown> | undefined): Record<string, string> | undefined {
  const properties = schema?.properties;
  if (!properties || typeof properties !== 'object') return undefined;
  return Object.fromEntries(
    Object.entries(properties as Record<string, { type?: unknown }>).map(([key, value]) => [key, typeof value?.type === 'string' ? value.type : 'unknown']),
  );
}

function actionFromWire(raw: AuditLogActionWire): AuditLogAction {
  return {
    id: raw.name,
    name: raw.name,
    schema: {
      object: 'audit_log_schema',
      version: raw.schema.version,
      targets: raw.schema.targets.map((t) => ({ type: t.type, metadata: metadataTypes(t.metadata) })),
      actor: raw.schema.actor ? { metadata: metadataTypes(raw.schema.actor.metadata) ?? {} } : undefined,
      metadata: metadataTypes(raw.schema.metadata),
      createdAt: raw.schema.created_at,
    },
    createdAt: raw.created_at,
    updatedAt: raw.updated_at,
  };
}

/** One list call per distinct parameter set per request; `planned: false` turns that off. */
function listLoader<P extends object, T>(fetchPage: (params: P) => Promise<T>, planned: boolean): DataLoader<P, T, string> {
  return new DataLoader<P, T, string>((keys) => Promise.all(keys.map((key) => fetchPage(key).catch(toGatewayError))), {
    cacheKeyFn: (key) => JSON.stringify(key),
    ...(planned ? {} : { cache: false, batch: false }),
  });
}

const byId = <T>(batch: (ids: readonly string[]) => Promise<(T | null | Error)[]>, planned: boolean) =>
  new DataLoader<string, T | null>(batch, planned ? {} : { cache: false, batch: false });

/**
 * The per-request loaders of the admin screens (invitations, roles, domains, sessions, factors,
 * audit log actions and retention), beside WorkOSLoaders and on the same rules: resolvers ask
 * these, never the SDK; a list primes the by-id loaders; every list is asked once per request.
 */
export class AdminLoaders {
  readonly invitation: DataLoader<string, Invitation | null>;
  readonly invitationByToken: DataLoader<string, Invitation | null>;
  readonly organizationDomain: DataLoader<string, OrganizationDomain | null>;
  /**
   * An organization's roles (the environment's and its own), one call per organization per
   * request: the role dropdown and every membership's and invitation's role name read the same list.
   */
  readonly organizationRoles: DataLoader<string, Role[] | null>;
  readonly auditLogRetention: DataLoader<string, AuditLogsRetention | null>;
  /** Every schema version of an action (one page of up to 100), by action and order. */
  readonly auditLogSchemas: DataLoader<{ action: string; order: 'asc' | 'desc' }, AuditLogSchema[] | null, string>;

  private readonly invitations;
  private readonly sessions;
  private readonly authFactors;
  private readonly auditLogActions;

  constructor(
    private readonly workos: WorkOS,
    private readonly planned = true,
  ) {
    this.invitation = byId(oneByOne((id) => workos.userManagement.getInvitation(id)), planned);
    this.invitationByToken = byId(
      oneByOne(async (token) => {
        const invitation = await workos.userManagement.findInvitationByToken(token);
        if (planned) this.invitation.prime(invitation.id, invitation);
        return invitation;
      }),
      planned,
    );
    this.organizationDomain = byId(oneByOne((id) => workos.organizationDomains.getOrganizationDomain(id)), planned);
    this.organizationRoles = byId(oneByOne(async (orgId) => (await workos.authorization.listOrganizationRoles(orgId)).data), planned);
    this.auditLogRetention = byId(oneByOne((id) => workos.auditLogs.getOrganizationAuditLogsRetention({ id })), planned);
    this.auditLogSchemas = new DataLoader(
      (keys) =>
        Promise.all(
          keys.map(async ({ action, order }) => {
            const found = await getOrNull(() => workos.auditLogs.listSchemas(action, { limit: UPSTREAM_PAGE_LIMIT, order }));
            return found instanceof Error || found === null ? found : found.data;
          }),
        ),
      { cacheKeyFn: (key) => JSON.stringify(key), ...(planned ? {} : { cache: false, batch: false }) },
    );

    this.invitations = listLoader(async (p: PageParams & { organizationId?: string; email?: string }) => {
      const page = pageOf(await workos.userManagement.listInvitations(p));
      if (planned) for (const invitation of page.data) this.invitation.prime(invitation.id, invitation);
      return page;
    }, planned);
    this.sessions = listLoader(async ({ userId, ...p }: PageParams & { userId: string }) => pageOf(await workos.userManagement.listSessions(userId, p)), planned);
    this.authFactors = listLoader(async (p: PageParams & { userId: string }) => pageOf(await workos.multiFactorAuth.listUserAuthFactors(p)), planned);
    this.auditLogActions = listLoader(async (p: PageParams) => {
      const { data } = await workos.get<{ data: AuditLogActionWire[]; list_metadata: { before: string | null; after: string | null } }>('/audit_logs/actions', {
        query: { limit: p.limit, after: p.after, before: p.before, order: p.order },
      });
      return { data: data.data.map(actionFromWire), listMetadata: { before: data.list_metadata.before ?? null, after: data.list_metadata.after ?? null } };
    }, planned);
  }

  listInvitations = (p: PageParams & { organizationId?: string; email?: string }): Promise<Page<Invitation>> => this.invitations.load(p);
  listSessions = (p: PageParams & { userId: string }): Promise<Page<Session>> => this.sessions.load(p);
  listAuthFactors = (p: PageParams & { userId: string }): Promise<Page<AuthenticationFactor>> => this.authFactors.load(p);
  listAuditLogActions = (p: PageParams): Promise<Page<AuditLogAction>> => this.auditLogActions.load(p);

  /** After a write: this request reads the written invitation, and no invitation page from before it. */
  rememberInvitation(invitation: Invitation): Invitation {
    this.invitation.clear(invitation.id).prime(invitation.id, invitation);
    this.invitations.clearAll();
    return invitation;
  }

  rememberDomain(domain: OrganizationDomain): OrganizationDomain {
    this.organizationDomain.clear(domain.id).prime(domain.id, domain);
    return domain;
  }

  forgetDomain(id: string): void {
    this.organizationDomain.clear(id);
  }

  forgetSessions(): void {
    this.sessions.clearAll();
  }

  forgetAuthFactors(): void {
    this.authFactors.clearAll();
  }

  rememberRetention(organizationId: string, retention: AuditLogsRetention): void {
    this.auditLogRetention.clear(organizationId).prime(organizationId, retention);
  }
}
