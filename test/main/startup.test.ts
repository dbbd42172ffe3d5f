import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.ts';

/** `npm start` as a newcomer runs it, and the configuration errors an operator would meet. */
function start(env: Record<string, string>) {
  return spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/main.ts'], {
    // Its own data directory: local mode keeps state there, not in the repository's .data/.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', GATEWAY_DATA_DIR: mkdtempSync(join(tmpdir(), 'gateway-start-')), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('configuration', () => {
  it('names the bad variable and never echoes its value', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    try {
      loadConfig({ WORKOS_API_KEY: 'not-a-key-SECRET123', WORKOS_API_HTTPS: 'maybe' });
      expect.unreachable();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('WORKOS_API_KEY');
      expect(message).toContain('WORKOS_API_HTTPS');
      expect(message).not.toContain('SECRET123');
    }
    expect(() => loadConfig({ GATEWAY_RATE_GENERAL: 'fast' })).toThrow(/GATEWAY_RATE_GENERAL/);
  });

  it('reads the WorkOS variables into SDK options', () => {
    const config = loadConfig({ WORKOS_API_KEY: 'sk_test_abc', WORKOS_API_HOSTNAME: '127.0.0.1', WORKOS_API_HTTPS: 'false', WORKOS_API_PORT: '4100' });
    expect(config.workos).toMatchObject({ apiKey: 'sk_test_abc', apiHostname: '127.0.0.1', https: false, apiPort: 4100 });
    expect(config.upstream.rateLimits.general).toEqual({ limit: 6000, windowMs: 60_000 });
  });
});

describe('npm start', () => {
  it('starts the emulator with demo data, serves GraphiQL and signed-in queries, and stops cleanly on SIGTERM', async () => {
    const child = start({});
    try {
      const lines: string[] = [];
      for await (const line of createInterface({ input: child.stdout! })) {
        lines.push(line);
        if (lines.filter((l) => l.trim().startsWith('eyJ')).length >= 2) break;
      }
      const banner = lines.join('\n');
      const url = /ready: (http:\/\/\S+\/graphql)/.exec(banner)?.[1];
      expect(url).toBeDefined();
      expect(banner).toContain('local WorkOS emulator');
      expect(banner).toContain('alice@acme.test');
      const adminToken = lines.find((l) => l.trim().startsWith('eyJ'))!.trim();

      const page = await fetch(url!, { headers: { accept: 'text/html' } });
      const html = await page.text();
      expect(html).toContain('/graphiql/assets/');
      expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)[a-z]/i);

      const anonymous = await fetch(url!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ viewer { kind } }' }) });
      expect(anonymous.status).toBe(401);

      const response = await fetch(url!, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
        body: JSON.stringify({ query: '{ viewer { user { email } } organizations(first: 5) { edges { node { name } } } }' }),
      });
      const body = (await response.json()) as { data: { viewer: { user: { email: string } }; organizations: { edges: { node: { name: string } }[] } } };
      expect(body.data.viewer.user.email).toBe('alice@acme.test');
      expect(body.data.organizations.edges.map((e) => e.node.name)).toContain('Acme Corp');

      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('refuses to start on a bad variable, naming it', async () => {
    const child = start({ PORT: 'abc' });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(stderr).toContain('PORT');
  });

  it('never runs the demo emulator in production', async () => {
    const child = start({ NODE_ENV: 'production' });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(stderr).toContain('WORKOS_API_KEY is required');
  });
});
