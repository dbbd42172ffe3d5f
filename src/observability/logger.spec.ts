import { Writable } from 'node:stream';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../errors/codes.ts';
import { createLogger, serializeError, yogaLogger } from './logger.ts';
import { runWithRecord, type RequestRecord } from './request-record.ts';

function capture() {
  const out: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      out.push(chunk.toString());
      done();
    },
  });
  return { out, stream };
}

const record = (secrets: string[]): RequestRecord => ({
  id: 'r1',
  startedAt: 0,
  method: 'POST',
  path: '/graphql',
  graphql: true,
  upstreamCalls: 0,
  errorCodes: [],
  secrets: new Set(secrets),
  notify: () => undefined,
});

describe('the logger', () => {
  it('writes JSON lines with the level name, and cuts the gateway secrets and the current request secrets', () => {
    const { out, stream } = capture();
    const logger = createLogger({ level: 'debug', format: 'json' }, { stream, secrets: ['whsec_gateway-secret'], nodeEnv: 'production' });
    runWithRecord(record(['Request-password-9']), () => logger.info({ detail: 'whsec_gateway-secret Request-password-9' }, 'hello'));
    logger.info({ detail: 'Request-password-9' }, 'outside the request');
    const [inside, outside] = out.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(inside).toMatchObject({ level: 'info', msg: 'hello', detail: '[redacted] [redacted]' });
    // Outside its request a value is only cut when it is a gateway secret or has a credential's shape.
    expect(outside.detail).toBe('Request-password-9');
  });

  it('is pretty when asked (pino-pretty), still scrubbed', () => {
    const { out, stream } = capture();
    const logger = createLogger({ level: 'info', format: 'pretty' }, { stream, secrets: ['sk_test_gatewaykey'], nodeEnv: 'development' });
    logger.info({ key: 'sk_test_gatewaykey' }, 'request');
    expect(out.join('')).toMatch(/INFO.*request/);
    expect(out.join('')).not.toContain('sk_test_gatewaykey');
    expect(() => JSON.parse(out[0])).toThrow();
  });

  it("backs yoga's logger: client errors at debug, others at error, coercion values cut", () => {
    const { out, stream } = capture();
    const yoga = yogaLogger(createLogger({ level: 'info', format: 'json' }, { stream, secrets: [], nodeEnv: 'production' }));
    yoga.error(new GatewayError('UNAUTHENTICATED', 'Sign in first'));
    expect(out).toEqual([]);
    yoga.error(new GraphQLError('Variable "$input" got invalid value { password: 12345678 } at "input.password"; String cannot represent a non string value: 12345678'));
    const line = JSON.parse(out[0]) as { level: string; err: { message: string } };
    expect(line.level).toBe('error');
    expect(line.err.message).toBe('Variable "$input" got invalid value [redacted] at "input.password".');
    expect(out[0]).not.toContain('12345678');
  });

  it('serializes an error with its code and cause', () => {
    const error = new Error('outer', { cause: new GatewayError('FORBIDDEN', 'inner') });
    expect(serializeError(error)).toMatchObject({ type: 'Error', message: 'outer', cause: { type: 'GatewayError', message: 'inner', code: 'FORBIDDEN' } });
  });
});
