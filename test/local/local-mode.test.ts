import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { createGateway, type Gateway } from '../../src/gateway.ts';
import { startLocalUpstream, type LocalUpstream } from '../../src/local/local-upstream.ts';
import { bearer, post } from '../kit/http.ts';

/**
 * Local mode across restarts: the emulator's port, API key and signing key are kept in the
 * data directory, so a demo token printed by one run still works in the next (as GraphiQL's
 * saved header does after an `npm run dev` reload). A port taken meanwhile is replaced, and
 * the banner says so.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'gateway-data-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function run(): Promise<{ local: LocalUpstream; gateway: Gateway; url: string; token: string; close(): Promise<void> }> {
  const config = loadConfig({ NODE_ENV: 'test', GATEWAY_DATA_DIR: dataDir, GATEWAY_READINESS_INTERVAL_MS: '0' });
  const local = await startLocalUpstream(config);
  const gateway = createGateway({ ...config, workos: local.workos });
  const url = await gateway.listen(0, '127.0.0.1');
  const token = local.banner.find((l) => l.trim().startsWith('eyJ'))!.trim();
  return { local, gateway, url, token, close: async () => (await gateway.close(), await local.close()) };
}

const viewerEmail = async (url: string, token: string) => {
  const { status, body } = await post(url, '{ viewer { user { email } } }', undefined, bearer(token));
  return status === 200 ? (body.data?.viewer as { user: { email: string } }).user.email : status;
};

describe('local mode', () => {
  let firstToken: string;
  let firstPort: number;

  it('saves its port, key and signing key in the data directory, readable by its owner only, and says so', async () => {
    const first = await run();
    try {
      firstToken = first.token;
      firstPort = first.local.workos.apiPort!;
      expect(await viewerEmail(first.url, firstToken)).toBe('alice@acme.test');
      expect(first.local.banner.join('\n')).toContain('saved in');
      const file = join(dataDir, 'local-emulator.json');
      const saved = JSON.parse(readFileSync(file, 'utf8')) as { port: number; apiKey: string; signingKey: string };
      expect(saved.port).toBe(firstPort);
      expect(saved.apiKey).toBe(first.local.workos.apiKey);
      expect(saved.signingKey).toContain('BEGIN PRIVATE KEY');
      expect(statSync(file).mode & 0o077).toBe(0);
    } finally {
      await first.close();
    }
  });

  it('comes back on the same port with the same keys: a token of the first run works in the second', async () => {
    const second = await run();
    try {
      expect(second.local.workos.apiPort).toBe(firstPort);
      expect(second.local.banner.join('\n')).toContain('kept from the last run');
      expect(await viewerEmail(second.url, firstToken)).toBe('alice@acme.test');
    } finally {
      await second.close();
    }
  });

  it('moves to another port when the saved one is taken, and says that old tokens stop working', async () => {
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(firstPort, '127.0.0.1', resolve));
    const third = await run();
    try {
      expect(third.local.workos.apiPort).not.toBe(firstPort);
      expect(third.local.banner.join('\n')).toContain(`Port ${firstPort} of the last run is taken`);
      expect(await viewerEmail(third.url, firstToken)).toBe(401);
      expect(await viewerEmail(third.url, third.token)).toBe('alice@acme.test');
      expect((JSON.parse(readFileSync(join(dataDir, 'local-emulator.json'), 'utf8')) as { port: number }).port).toBe(third.local.workos.apiPort);
    } finally {
      await third.close();
      await new Promise((resolve) => squatter.close(resolve));
    }
  });
});
