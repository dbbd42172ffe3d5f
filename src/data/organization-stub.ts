import type { Organization } from '@workos-inc/node';
import type { WorkOSLoaders } from './loaders.ts';

/**
 * What another object's payload says of an organization: its id, and its name where the payload
 * carries it (a membership's `organization_name`). Enough for `id` and `name` and for anything
 * that needs only the id (its members, directories, connections); the organization itself is
 * loaded only when a selected field needs more than this.
 */
export interface OrganizationStub {
  stub: true;
  id: string;
  name: string | null;
}

/** The Organization type's backing value: the full SDK object, or a stub. */
export type OrganizationModel = Organization | OrganizationStub;

export const organizationStub = (id: string, name?: string | null): OrganizationStub => ({ stub: true, id, name: name ?? null });

export const isStub = (org: OrganizationModel): org is OrganizationStub => 'stub' in org;

/** The full organization: at hand, or loaded (once per request); null when it no longer exists. */
export const fullOrganization = async (org: OrganizationModel, loaders: WorkOSLoaders): Promise<Organization | null> =>
  isStub(org) ? loaders.organization.load(org.id) : org;
