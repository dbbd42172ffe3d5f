import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

/**
 * Checks every JSON response an SDK receives against the WorkOS OpenAPI spec: the operation is
 * found by method + path template, the body validated with ajv against the schema declared for
 * that status. Additional properties are allowed unless the spec forbids them (JSON Schema's own
 * default). Statuses the spec does not declare are listed in `undocumented`, not failed.
 */

interface Operation {
  template: string;
  pattern: RegExp;
  params: number;
  method: string;
}

interface SpecIndex {
  ajv: Ajv2020;
  operations: Operation[];
  responses: Map<string, Record<string, unknown>>;
  validators: Map<string, ValidateFunction>;
}

const SPEC_ID = 'workos-openapi';
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

let cached: SpecIndex | undefined;

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function loadSpec(): SpecIndex {
  if (cached) return cached;
  const file = createRequire(import.meta.url).resolve('@workos/openapi-spec/spec');
  const spec = parse(readFileSync(file, 'utf8')) as Json;
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false, validateFormats: true });
  addFormatsModule.default(ajv);
  ajv.addSchema({ ...spec, $id: SPEC_ID });

  const operations: Operation[] = [];
  const responses = new Map<string, Json>();
  for (const [template, item] of Object.entries(spec.paths as Json)) {
    if (!isObj(item)) continue;
    const escaped = template.replace(/[.+?^$()|[\]\\]/g, '\\$&');
    const pattern = new RegExp(`^${escaped.replace(/\{[^}]+\}/g, '[^/]+')}/?$`);
    const params = (template.match(/\{/g) ?? []).length;
    for (const method of METHODS) {
      const op = item[method];
      if (!isObj(op) || !isObj(op.responses)) continue;
      operations.push({ template, pattern, params, method: method.toUpperCase() });
      responses.set(`${method.toUpperCase()} ${template}`, op.responses);
    }
  }
  // The most literal template wins: /organizations/external_id/{x} before /organizations/{id}/{y}.
  operations.sort((a, b) => a.params - b.params);
  cached = { ajv, operations, responses, validators: new Map() };
  return cached;
}

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

export interface CheckResult {
  operation?: string;
  /** Set when the body does not match the declared schema. */
  failure?: string;
  /** Set when the spec declares no JSON body for this method, path and status. */
  undocumented?: string;
}

/** Validates one response body; `path` is the URL path without the query. */
export function checkResponse(method: string, path: string, status: number, body: unknown): CheckResult {
  const index = loadSpec();
  const op = index.operations.find((o) => o.method === method && o.pattern.test(path));
  const label = `${method} ${path} -> ${status}`;
  if (!op) return { undocumented: `${label}: no operation in the spec` };
  const operation = `${op.method} ${op.template}`;
  const responses = index.responses.get(operation) as Json;
  const key = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => k in responses);
  const response = key ? responses[key] : undefined;
  const content = isObj(response) && isObj(response.content) ? response.content['application/json'] : undefined;
  if (!key || !isObj(content) || !('schema' in content)) {
    return { operation, undocumented: `${label} (${operation}): no JSON schema for this status` };
  }
  const ref = `${SPEC_ID}#/${pointer('paths', op.template, op.method.toLowerCase(), 'responses', key, 'content', 'application/json', 'schema')}`;
  let validate = index.validators.get(ref);
  if (!validate) {
    validate = index.ajv.compile({ $ref: ref });
    index.validators.set(ref, validate);
  }
  if (validate(body)) return { operation };
  const errors = (validate.errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`)
    .join('; ');
  return { operation, failure: `${label} (${operation}): ${errors}` };
}

export interface SpecCheckedFetch {
  fetchFn: typeof fetch;
  /** One line per response whose JSON body broke the spec. */
  failures: string[];
  /** Responses whose status has no JSON schema in the spec (informative). */
  undocumented: string[];
  /** How many JSON bodies were validated. */
  checked: () => number;
}

/**
 * A `fetchFn` for `new WorkOS(key, { fetchFn })` that validates every JSON response body it
 * passes through. Assert `failures` is empty at the end of a suite.
 */
export function createSpecCheckedFetch(inner: typeof fetch = fetch): SpecCheckedFetch {
  loadSpec();
  const failures: string[] = [];
  const undocumented: string[] = [];
  let checked = 0;
  const fetchFn: typeof fetch = async (input, init) => {
    const res = await inner(input, init);
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    if (!(res.headers.get('content-type') ?? '').includes('application/json')) return res;
    let body: unknown;
    try {
      body = JSON.parse(await res.clone().text());
    } catch {
      failures.push(`${method} ${url.pathname} -> ${res.status}: body is not valid JSON`);
      return res;
    }
    checked++;
    const result = checkResponse(method, url.pathname, res.status, body);
    if (result.failure) failures.push(result.failure);
    if (result.undocumented) undocumented.push(result.undocumented);
    return res;
  };
  return { fetchFn, failures, undocumented, checked: () => checked };
}
