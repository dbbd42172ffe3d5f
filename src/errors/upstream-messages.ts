/**
 * The gateway's own words for WorkOS' refusals. WorkOS' messages are written for the holder of
 * the API key: they may name another tenant's domain, external id or object ("An Organization
 * with the domain … already exists"), so no result carries them. A known code gets its sentence
 * (and the input field it concerns); anything else a generic one.
 */
interface Known {
  message: string;
  field?: string;
}

const KNOWN_CODES: Record<string, Known> = {
  external_id_already_used: { message: 'This external id is already in use.', field: 'externalId' },
  stripe_customer_id_already_used: { message: 'This Stripe customer id is already in use.', field: 'stripeCustomerId' },
  email_not_available: { message: 'This email address cannot be used.', field: 'email' },
  user_creation_error: { message: 'The user could not be created.' },
  password_strength_error: { message: 'The password is too weak.', field: 'password' },
  invalid_metadata: { message: 'The metadata was refused.', field: 'metadata' },
  invalid_role: { message: 'No such role.', field: 'roleSlug' },
  multiple_roles_not_enabled: { message: 'Several roles per membership are not enabled.', field: 'roleSlug' },
  cannot_deactivate_pending_organization_membership: { message: 'A pending membership cannot be deactivated.' },
  cannot_reactivate_pending_organization_membership: { message: 'A pending membership cannot be reactivated.' },
  idempotency_key_reused: { message: 'This idempotency key was already used for a different request.', field: 'idempotencyKey' },
  invalid_audit_log_event: { message: 'The audit log event was refused.' },
  invalid_request_parameters: { message: 'The input was refused.' },
};

export const REFUSED = 'The input was refused.';
export const CONFLICT = 'The change conflicts with existing data (such as a domain, email or external id already in use).';

/** A machine code (`invalid_email`) may be shown; free text from upstream may not. */
const MACHINE_CODE = /^[a-z][a-z0-9_]{0,63}$/;

export const knownCode = (code: unknown): Known | undefined =>
  typeof code === 'string' && Object.hasOwn(KNOWN_CODES, code) ? KNOWN_CODES[code] : undefined;

/** The sentence for a refusal with this code. */
export const refusalMessage = (code: unknown): string => knownCode(code)?.message ?? REFUSED;

/** What to say about one field: its known sentence, else the code itself (a code names no data). */
export const fieldMessage = (code: unknown): string =>
  knownCode(code)?.message ?? (typeof code === 'string' && MACHINE_CODE.test(code) ? code : 'invalid');
