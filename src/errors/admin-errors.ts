import { ConflictException, GenericServerException } from '@workos-inc/node';
import { ConflictError, ValidationError } from './mutation.ts';
import { asMutationError } from './upstream.ts';

/** WorkOS' 400 codes that mean "the object is not in a state for that": typed conflicts for clients. */
const CONFLICT_CODES = new Set([
  'email_already_invited_to_organization',
  'email_already_invited',
  'user_already_organization_member',
  'user_already_exists',
  'invite_not_pending',
  'invite_expired',
  'invite_revoked',
  'invite_accepted',
  'invite_has_accepted_user_id',
  'invalid_invite',
  'domain_already_verified',
  'domain_already_exists',
]);

/** 400 codes about one input field, and the GraphQL input field they name. */
const FIELD_CODES: Record<string, string> = {
  invalid_role: 'roleSlug',
  expires_in_days_too_short: 'expiresInDays',
  expires_in_days_too_long: 'expiresInDays',
};

/**
 * The typed mutation error for a refusal of the admin screens' writes: state conflicts (already
 * invited, not pending, already verified ...) are ConflictError, a bad role or expiry is a
 * ValidationError naming its field; the rest as every other write (src/errors/upstream.ts).
 */
export function asAdminMutationError(error: unknown, id = ''): Error {
  const code = error instanceof GenericServerException || error instanceof ConflictException ? error.code : undefined;
  if (code && CONFLICT_CODES.has(code)) return new ConflictError((error as Error).message);
  if (code && code in FIELD_CODES) return new ValidationError((error as Error).message, [{ field: FIELD_CODES[code], message: (error as Error).message }]);
  return asMutationError(error, id);
}
