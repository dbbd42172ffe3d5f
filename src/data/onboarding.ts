import type { DomainData, Organization, OrganizationMembership } from '@workos-inc/node';
import type { WorkOSWrites } from './writes.ts';

export interface OnboardingInput {
  name: string;
  domainData?: DomainData[];
  externalId?: string;
  adminUserId: string;
  /** Recorded in the audit event's context (the caller's address). */
  location: string;
}

/** A step failed: what failed, why, and what was undone (or could not be). */
export class OnboardingFailedError extends Error {
  override name = 'OnboardingFailedError';
  constructor(
    readonly failedStep: string,
    readonly reason: string,
    readonly rolledBack: string[],
    readonly notRolledBack: string[],
  ) {
    super(
      `Onboarding failed at step "${failedStep}": ${reason}. ` +
        (rolledBack.length ? `Rolled back: ${rolledBack.join(', ')}.` : 'Nothing needed rolling back.') +
        (notRolledBack.length ? ` Could not roll back: ${notRolledBack.join(', ')}.` : ''),
    );
  }
}

/**
 * Create the organization, make the user its admin, record the audit event. WorkOS has no
 * transactions, so each step that succeeded registers how to undo itself, and a failure
 * undoes them newest first.
 */
export async function onboardOrganization(
  writes: WorkOSWrites,
  input: OnboardingInput,
): Promise<{ organization: Organization; membership: OrganizationMembership }> {
  const undo: { label: string; run: () => Promise<void> }[] = [];
  let step = 'create organization';
  try {
    const organization = await writes.createOrganization({
      name: input.name,
      domainData: input.domainData,
      externalId: input.externalId,
    });
    undo.push({ label: `organization ${organization.id}`, run: () => writes.deleteOrganization(organization.id) });

    step = 'add admin membership';
    const membership = await writes.createMembership({
      organizationId: organization.id,
      userId: input.adminUserId,
      roleSlug: 'admin',
    });
    undo.push({ label: `membership ${membership.id}`, run: () => writes.deleteMembership(membership.id) });

    step = 'record audit log event';
    await writes.createAuditLogEvent(organization.id, {
      action: 'organization.onboarded',
      occurredAt: new Date(),
      actor: { id: input.adminUserId, type: 'user' },
      targets: [{ id: organization.id, type: 'organization', name: organization.name }],
      context: { location: input.location },
    });
    return { organization, membership };
  } catch (error) {
    const rolledBack: string[] = [];
    const notRolledBack: string[] = [];
    for (const { label, run } of undo.reverse()) {
      try {
        await run();
        rolledBack.push(label);
      } catch {
        notRolledBack.push(label);
      }
    }
    const reason = error instanceof Error ? error.message : 'unknown error';
    throw new OnboardingFailedError(step, reason, rolledBack, notRolledBack);
  }
}
