import type { Context } from 'hono';
import { ApiError, unprocessable, type FieldError } from './errors.ts';

export type JsonObject = Record<string, unknown>;

export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The request body as a JSON object. Empty body = `{}`; malformed JSON = 400 and a non-object
 * body = 422, both JSON, so clients never see a plain-text error.
 */
export async function readJsonObject(c: Context): Promise<JsonObject> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError(400, { code: 'invalid_json', message: 'The request body is not valid JSON.' });
  }
  if (!isObject(value)) {
    throw unprocessable([{ field: 'body', code: 'invalid_type' }], 'The request body must be a JSON object.');
  }
  return value;
}

/**
 * Reads typed fields from a body and collects every problem, so one 422 names all bad fields
 * (`errors: [{field, code}]`), the way WorkOS reports `invalid_request_parameters`.
 */
export class BodyReader {
  readonly errors: FieldError[] = [];
  constructor(private readonly body: JsonObject) {}

  has(field: string): boolean {
    return this.body[field] !== undefined;
  }

  string(field: string, opts: { required: true; max?: number }): string;
  string(field: string, opts?: { required?: false; max?: number }): string | undefined;
  string(field: string, opts: { required?: boolean; max?: number } = {}): string | undefined {
    const v = this.body[field];
    if (v === undefined || v === null) {
      if (opts.required) this.errors.push({ field, code: `${field}_required` });
      return undefined;
    }
    if (typeof v !== 'string') {
      this.errors.push({ field, code: 'invalid_type' });
      return undefined;
    }
    if (opts.required && v.trim() === '') {
      this.errors.push({ field, code: `${field}_required` });
      return undefined;
    }
    if (opts.max !== undefined && v.length > opts.max) {
      this.errors.push({ field, code: 'too_long' });
      return undefined;
    }
    return v;
  }

  /** `undefined` = absent, `null` = explicitly cleared. */
  nullableString(field: string, max?: number): string | null | undefined {
    if (this.body[field] === null) return null;
    return this.string(field, { max });
  }

  boolean(field: string): boolean | undefined {
    const v = this.body[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') {
      this.errors.push({ field, code: 'invalid_type' });
      return undefined;
    }
    return v;
  }

  integer(field: string): number | undefined {
    const v = this.body[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      this.errors.push({ field, code: 'invalid_type' });
      return undefined;
    }
    return v;
  }

  stringArray(field: string): string[] | undefined {
    const v = this.body[field];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) {
      this.errors.push({ field, code: 'invalid_type' });
      return undefined;
    }
    return v;
  }

  array(field: string): unknown[] | undefined {
    const v = this.body[field];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) {
      this.errors.push({ field, code: 'invalid_type' });
      return undefined;
    }
    return v;
  }

  /** `undefined` = absent, `null` = explicitly cleared. */
  object(field: string): JsonObject | null | undefined {
    const v = this.body[field];
    if (v === undefined) return undefined;
    if (v === null) return null;
    if (!isObject(v)) {
      this.errors.push({ field, code: 'invalid_type' });
      return undefined;
    }
    return v;
  }

  fail(field: string, code: string): void {
    this.errors.push({ field, code });
  }

  /** Throws one 422 listing every problem found so far. */
  done(): void {
    if (this.errors.length > 0) throw unprocessable(this.errors);
  }
}

/** WorkOS metadata rules: at most 50 keys, keys up to 40 chars, string values up to 600 chars. */
function assertMetadata(entries: [string, unknown][], allowNull: boolean): void {
  const bad =
    entries.length > 50 ||
    entries.some(([k, v]) => k.length > 40 || (v === null ? !allowNull : typeof v !== 'string' || v.length > 600));
  if (bad) {
    throw new ApiError(400, {
      code: 'invalid_metadata',
      message: 'Metadata may have at most 50 keys of up to 40 characters, each with a string value of up to 600 characters.',
    });
  }
}

/** Metadata of a create: validated, absent or null = `{}`. */
export function checkMetadata(value: JsonObject | null | undefined): Record<string, string> {
  if (value === undefined || value === null) return {};
  const entries = Object.entries(value);
  assertMetadata(entries, false);
  return Object.fromEntries(entries) as Record<string, string>;
}

/**
 * Metadata of an update, merged into `current`: a key set to null is removed (the SDK types
 * update metadata as `Record<string, string | null>`), `metadata: null` clears everything.
 */
export function mergeMetadata(current: Record<string, string>, value: JsonObject | null | undefined): Record<string, string> {
  if (value === undefined) return current;
  if (value === null) return {};
  assertMetadata(Object.entries(value), true);
  const merged: Record<string, string> = { ...current };
  for (const [k, v] of Object.entries(value)) {
    if (v === null) delete merged[k];
    else merged[k] = v as string;
  }
  assertMetadata(Object.entries(merged), false);
  return merged;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const isEmail = (s: string) => EMAIL.test(s);
