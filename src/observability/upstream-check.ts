import { UnauthorizedException, type WorkOS } from '@workos-inc/node';
import type { ReadinessCheck } from './readiness.ts';

/**
 * Readiness of the upstream: one cheap authenticated read (the first organization) through
 * the queue. A refused key is named as such; other failures say WorkOS did not answer.
 */
export function upstreamKeyCheck(workos: WorkOS): ReadinessCheck {
  return async () => {
    try {
      await workos.organizations.listOrganizations({ limit: 1 });
    } catch (error) {
      if (error instanceof UnauthorizedException) throw new Error('WorkOS refused the API key (401): check WORKOS_API_KEY', { cause: error });
      const status = (error as { status?: unknown }).status;
      throw new Error(typeof status === 'number' ? `WorkOS answered ${status}` : 'WorkOS could not be reached', { cause: error });
    }
  };
}
