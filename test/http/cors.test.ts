import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '@workos-graphql-gateway/emulator';
import type { Gateway } from '../../src/gateway.ts';
import { COOKIE_ENV } from '../kit/cookies.ts';
import { startGateway } from '../kit/gateway.ts';

/**
 * CORS as a browser meets it: the preflight (OPTIONS) and the request itself, from an origin
 * the gateway lists and from one it does not. `Access-Control-Allow-Credentials: true` is sent
 * only to listed origins of a gateway with cookie sessions, never otherwise: bearer tokens
 * need no credentials, and a reflected origin with credentials would let any site use a cookie.
 */
let emulator: EmulatorHandle;
const gateways: Gateway[] = [];
beforeAll(async () => {
  emulator = await startEmulator({ rateLimits: false, seed: false });
});
afterAll(async () => {
  for (const gateway of gateways) await gateway.close();
  await emulator.close();
});

async function gatewayWith(env: Record<string, string>): Promise<string> {
  const { gateway, url } = await startGateway(emulator, env);
  gateways.push(gateway);
  return url;
}

const APP = 'https://app.example.com';
const OTHER = 'https://evil.example.net';

async function cors(url: string, origin: string) {
  const preflight = await fetch(url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-graphql-yoga-csrf' },
  });
  const actual = await fetch(url, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  const pick = (r: Response) => ({
    origin: r.headers.get('access-control-allow-origin'),
    credentials: r.headers.get('access-control-allow-credentials'),
  });
  return { preflight: pick(preflight), actual: pick(actual) };
}

describe('CORS', () => {
  it('outside production without GATEWAY_CORS_ORIGINS: any origin, never credentials', async () => {
    const url = await gatewayWith({ NODE_ENV: 'development' });
    expect(await cors(url, OTHER)).toEqual({ preflight: { origin: OTHER, credentials: null }, actual: { origin: OTHER, credentials: null } });
  });

  it('in production without GATEWAY_CORS_ORIGINS: no origin at all', async () => {
    const url = await gatewayWith({ NODE_ENV: 'production' });
    expect((await cors(url, APP)).preflight).toEqual({ origin: null, credentials: null });
  });

  it('with GATEWAY_CORS_ORIGINS and bearer tokens only: the listed origins, without credentials', async () => {
    const url = await gatewayWith({ GATEWAY_CORS_ORIGINS: `${APP},https://admin.example.com` });
    expect(await cors(url, APP)).toEqual({ preflight: { origin: APP, credentials: null }, actual: { origin: APP, credentials: null } });
    expect(await cors(url, OTHER)).toEqual({ preflight: { origin: null, credentials: null }, actual: { origin: null, credentials: null } });
  });

  it('with cookie sessions: credentials for the listed origins only', async () => {
    const url = await gatewayWith({ ...COOKIE_ENV, GATEWAY_CORS_ORIGINS: APP });
    expect(await cors(url, APP)).toEqual({ preflight: { origin: APP, credentials: 'true' }, actual: { origin: APP, credentials: 'true' } });
    expect(await cors(url, OTHER)).toEqual({ preflight: { origin: null, credentials: null }, actual: { origin: null, credentials: null } });
  });

  it('with cookie sessions but no list: any origin outside production, still without credentials', async () => {
    const url = await gatewayWith({ ...COOKIE_ENV, NODE_ENV: 'development' });
    expect(await cors(url, OTHER)).toEqual({ preflight: { origin: OTHER, credentials: null }, actual: { origin: OTHER, credentials: null } });
  });
});
