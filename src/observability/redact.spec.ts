import { describe, expect, it } from 'vitest';
import { bearerValue, isSensitiveCoercion, scrub, sensitiveValues, withoutEchoedValue } from './redact.ts';

describe('sensitiveValues', () => {
  it('collects values under credential names, at any depth, and nothing else', () => {
    const values = sensitiveValues({
      input: { email: 'alice@acme.test', password: 'hunter2-long', nested: { refreshToken: 'rt_abcdef' } },
      code: 123456,
      pendingAuthenticationToken: ['ptok_1234'],
      organizationId: 'org_123456',
    });
    expect([...values].sort()).toEqual(['123456', 'hunter2-long', 'ptok_1234', 'rt_abcdef']);
  });

  it('keeps very short values out (they would cut ordinary words), names still hide them', () => {
    expect([...sensitiveValues({ code: '12' })]).toEqual([]);
  });
});

describe('coercion messages', () => {
  const nested = 'Variable "$input" got invalid value { email: "a@b.c", password: 98765 } at "input.password"; String cannot represent a non string value: 98765';
  const whole = 'Variable "$password" got invalid value { x: "Secret-whole" }; String cannot represent a non string value: { x: "Secret-whole" }';

  it('lose the echoed value and keep the variable and path', () => {
    expect(withoutEchoedValue(nested)).toBe('Variable "$input" got invalid value [redacted] at "input.password".');
    expect(withoutEchoedValue(whole)).toBe('Variable "$password" got invalid value [redacted].');
    expect(withoutEchoedValue('Cannot query field "x" on type "Query".')).toBe('Cannot query field "x" on type "Query".');
  });

  it('are sensitive when the variable, a field on the path or a field sent is a credential', () => {
    expect(isSensitiveCoercion(nested, { input: { email: 'a@b.c', password: 98765 } })).toBe(true);
    expect(isSensitiveCoercion(whole, { password: { x: 'Secret-whole' } })).toBe(true);
    const objectWrong = 'Variable "$input" got invalid value "nope"; Expected type "RefreshSessionInput" to be an object.';
    expect(isSensitiveCoercion(objectWrong, { input: 'nope' })).toBe(false);
    expect(isSensitiveCoercion('Variable "$input" got invalid value [1]; Expected type "X" to be an object.', { input: [{ refreshToken: 1 }] })).toBe(true);
    expect(isSensitiveCoercion('Variable "$first" got invalid value "ten"; Int cannot represent non-integer value: "ten"', { first: 'ten' })).toBe(false);
  });
});

describe('scrub', () => {
  it('cuts known secrets, raw and JSON-escaped, and credential shapes', () => {
    const line = JSON.stringify({ a: 'pass"word-1', b: 'key sk_live_ABCDEF123456', c: 'Bearer abcdefgh12345678', d: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJl' });
    const out = scrub(line, ['pass"word-1']);
    expect(out).not.toContain('word-1');
    expect(out).not.toContain('sk_live_ABCDEF123456');
    expect(out).not.toContain('abcdefgh12345678');
    expect(out).not.toContain('eyJzdWIiOiJ1c2VyIn0');
    expect(out).toContain('Bearer [redacted]');
  });

  it('reads the token of a bearer header', () => {
    expect(bearerValue('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerValue('Basic xyz')).toBeUndefined();
    expect(bearerValue(undefined)).toBeUndefined();
  });
});
