import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '@workos-graphql-gateway/emulator';
import { ConfigError, loadConfig } from '../../src/config/index.ts';
import { startGateway } from '../kit/gateway.ts';
import { bearer, post } from '../kit/http.ts';
import { startRedis, type RedisServer } from '../kit/redis.ts';

/** A Redis that requires a password: the gateway uses it, and it never shows in a log line, /ready or an error. */
describe('REDIS_URL with a password', () => {
  const password = `pw-${randomBytes(18).toString('base64url')}`;
  const token = `svc_${randomBytes(32).toString('base64url')}`;
  let emulator: EmulatorHandle;
  let redis: RedisServer;
  const lines: string[] = [];
  const capture = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });

  beforeAll(async () => {
    emulator = await startEmulator({ rateLimits: false });
    redis = await startRedis({ password });
  });
  afterAll(async () => {
    await redis.stop();
    await emulator.close();
  });

  it('rejects a URL that is not redis:// or rediss://, naming the variable and not the value', () => {
    for (const bad of [`http://:${password}@127.0.0.1:6379`, 'redis://', `${password}`]) {
      let message = '';
      try {
        loadConfig({ REDIS_URL: bad });
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        message = (error as Error).message;
      }
      expect(message).toMatch(/REDIS_URL/);
      expect(message).not.toContain(password);
    }
    expect(loadConfig({ REDIS_URL: `rediss://default:${password}@redis.example.test:6380/2` }).shared.redisUrl).toContain('rediss://');
  });

  it('shares state through it; with a wrong password the instance serves on its local share, and no output holds either password', async () => {
    const good = await startGateway(emulator, { REDIS_URL: redis.url, GATEWAY_SERVICE_TOKENS: token, LOG_LEVEL: 'debug' }, { logStream: capture });
    const wrongPassword = `wrong-${randomBytes(18).toString('base64url')}`;
    const wrongUrl = redis.url.replace(encodeURIComponent(password), wrongPassword);
    const wrong = await startGateway(emulator, { REDIS_URL: wrongUrl, GATEWAY_SERVICE_TOKENS: token, LOG_LEVEL: 'debug' }, { logStream: capture });
    try {
      expect(good.gateway.shared?.up()).toBe(true);
      expect(wrong.gateway.shared?.up()).toBe(false);
      const org = [...emulator.store.organizations.keys()][0];
      const outputs: string[] = [];
      for (const { url } of [good, wrong]) {
        const { body } = await post(url, 'query ($id: ID!) { organization(id: $id) { id } }', { id: org }, bearer(token));
        expect(body.errors).toBeUndefined();
        const ready = await fetch(new URL('/ready', url));
        outputs.push(JSON.stringify(body), await ready.text());
      }
      expect(await redis.client.keys('workos-gateway:bucket:*')).not.toHaveLength(0);
      expect(lines.some((l) => l.includes('shared_state_lost'))).toBe(true);
      const everything = [...outputs, ...lines].join('\n');
      for (const secret of [password, encodeURIComponent(password), wrongPassword]) expect(everything).not.toContain(secret);
    } finally {
      await good.gateway.close();
      await wrong.gateway.close();
    }
  });
});
