import { z } from 'zod';
import { isIdOf, NODE_PREFIXES, type NodeTypeName } from '../workos/ids.ts';

/**
 * A WorkOS id that may be of this type: well-formed (`<prefix>_<ULID>`) and not another type's
 * (src/workos/ids.ts); anything else is refused before WorkOS is asked.
 */
export const idOf = (type: NodeTypeName) =>
  z.string().refine((id) => isIdOf(type, id), {
    message: `Expected ${type === 'AuditLogExport' || type === 'OrganizationMembership' ? 'an' : 'a'} ${type} id (such as ${NODE_PREFIXES[type]}<ULID>).`,
  });

export const email = z.email({ message: 'Expected a valid email address.' });

/** A bare domain name (no scheme, path or port), as WorkOS stores organization domains. */
export const domain = z
  .string()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)(?!-)([a-z0-9-]{1,63}\.)+[a-z]{2,63}$/, { message: 'Expected a domain name such as example.com.' });

export const externalId = z.string().min(1).max(128, { message: 'External ids are at most 128 characters.' });

/** WorkOS metadata: at most 50 string values of at most 600 characters. */
export const metadata = z
  .record(z.string().max(40), z.string().max(600, { message: 'Metadata values are at most 600 characters.' }))
  .refine((m) => Object.keys(m).length <= 50, { message: 'Metadata has at most 50 keys.' });

export const nonEmptyName = z.string().trim().min(1, { message: 'Must not be empty.' }).max(255);
