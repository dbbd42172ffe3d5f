import { z } from 'zod';
import { isIdOf, NODE_PREFIXES, type NodeTypeName } from '../workos/ids.ts';

/**
 * A WorkOS id that may be of this type: well-formed (`<prefix>_<ULID>`) and not another type's
 * (src/workos/ids.ts); anything else is refused before WorkOS is asked.
 */
export const idOf = (type: NodeTypeName) =>
  z.string().refine((id) => isIdOf(type, id), {
    message: `Expected ${/^[AEIOU]/.test(type) ? 'an' : 'a'} ${type} id (such as ${NODE_PREFIXES[type]}<ULID>).`,
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

/** A WorkOS id of an object that is not a Node (a session, an authentication factor): `<prefix><ULID>`. */
export const workosIdOf = (prefix: string, what: string) =>
  z.string().regex(new RegExp(`^${prefix}[0-9A-HJKMNP-TV-Z]{26}$`), { message: `Expected ${what} id (${prefix}<ULID>).` });

/** An absolute URL a browser may be sent back to (http(s), or an app's own scheme such as myapp://callback). */
/** A PKCE S256 code challenge: base64url of a SHA-256, 43 to 128 characters (RFC 7636). */
export const codeChallenge = z.string().regex(/^[A-Za-z0-9_-]{43,128}$/, { message: 'Expected a base64url S256 code challenge (43 to 128 characters).' });

export const redirectUrl = z
  .string()
  .max(2048)
  .refine((u) => URL.canParse(u) && !/^(javascript|data|file|vbscript):$/i.test(new URL(u).protocol), { message: 'Expected an absolute URL.' });
