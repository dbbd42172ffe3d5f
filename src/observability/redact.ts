/**
 * What must never reach a log line, and how it is kept out. Two layers: by name (GraphQL
 * variables and input fields called password, token, code, secret, ...) and by value (the
 * gateway's own secrets and every secret value a request carried are cut from each line,
 * whatever printed them — including GraphQL's coercion errors, which echo the bad value).
 */

/** Variable and input field names whose values are credentials. */
const SENSITIVE_NAME = /pass(word|phrase)?|secret|token|code|api_?key|credential|authorization|cookie|private_?key/i;

export const isSensitiveName = (name: string): boolean => SENSITIVE_NAME.test(name);

export const REDACTED = '[redacted]';

/** Values shorter than this are not cut from lines by value (they would cut ordinary words); names still hide them. */
const MIN_SECRET_LENGTH = 4;

/**
 * Every value under a sensitive name in a request's variables (a whole variable named
 * `password`, or a `password` field inside an input), as the strings a log line could show.
 */
export function sensitiveValues(variables: unknown, into = new Set<string>()): Set<string> {
  const walk = (value: unknown, sensitive: boolean): void => {
    if (value === null || value === undefined) return;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') {
      const text = String(value);
      if (sensitive && text.length >= MIN_SECRET_LENGTH) into.add(text);
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value) walk(item, sensitive);
      return;
    }
    if (typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) walk(item, sensitive || isSensitiveName(key));
    }
  };
  walk(variables, false);
  return into;
}

/** The token of an `Authorization: Bearer` header, to be cut from this request's lines. */
export function bearerValue(header: string | undefined): string | undefined {
  const token = /^\s*Bearer\s+(\S+)/i.exec(header ?? '')?.[1];
  return token && token.length >= MIN_SECRET_LENGTH ? token : undefined;
}

// graphql-js: `Variable "$name" got invalid value <the value>[ at "name.path"]; <reason, which may echo it again>`.
const COERCION = /^Variable "\$([_A-Za-z][_0-9A-Za-z]*)" got invalid value [\s\S]*$/;
const COERCION_PATH = / at "([_A-Za-z][_0-9A-Za-z.[\]]*)"; /g;

/** True for graphql-js' message about a variable whose value did not fit its type. */
export const isCoercionMessage = (message: string): boolean => COERCION.test(message);

/**
 * A coercion message without the value it echoes: `Variable "$password" got invalid value
 * [redacted] at "input.password".` The variable and the path stay; the value and the reason
 * (which repeats the value) go.
 */
export function withoutEchoedValue(message: string): string {
  const match = COERCION.exec(message);
  if (!match) return message;
  const paths = [...message.matchAll(COERCION_PATH)].map((m) => m[1]).filter((p) => p.split(/[.[]/)[0] === match[1]);
  const at = paths.length > 0 ? ` at "${paths.at(-1)}"` : '';
  return `Variable "$${match[1]}" got invalid value ${REDACTED}${at}.`;
}

/** True when a coercion message is about a sensitive variable or a sensitive field inside one. */
export function isSensitiveCoercion(message: string, variables: Record<string, unknown> | undefined): boolean {
  const match = COERCION.exec(message);
  if (!match) return false;
  const name = match[1];
  if (isSensitiveName(name)) return true;
  if ([...message.matchAll(COERCION_PATH)].some((m) => m[1].split(/[.[\]]/).some((segment) => segment !== '' && isSensitiveName(segment)))) return true;
  // Inside an input object the path may be cut short (a wrong type for the whole object): look at what was sent.
  return sensitiveValues({ [name]: variables?.[name] }).size > 0 || hasSensitiveKey(variables?.[name]);
}

function hasSensitiveKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasSensitiveKey);
  if (value && typeof value === 'object') return Object.entries(value).some(([k, v]) => isSensitiveName(k) || hasSensitiveKey(v));
  return false;
}

// Shapes that are credentials wherever they appear: WorkOS keys, bearer headers, JWTs.
const SHAPES: [RegExp, string][] = [
  [/\bsk_(?:test|live)_[A-Za-z0-9_]{4,}/g, REDACTED],
  [/\b(Bearer)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]*/g, REDACTED],
];

/** One log line with every known secret and credential shape cut out. */
export function scrub(line: string, secrets: Iterable<string>): string {
  let out = line;
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    // As it appears raw and as JSON escapes it inside a string.
    for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1)])) {
      if (out.includes(form)) out = out.split(form).join(REDACTED);
    }
  }
  for (const [shape, replacement] of SHAPES) out = out.replace(shape, replacement);
  return out;
}
