import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

/** `npm run emulator` as a user starts it: its own process, its banner, real data, a clean stop. */
describe('emulator CLI', () => {
  it('starts with the seed, prints how to use it, serves it, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', '0', '--api-key', 'sk_test_cli', '--seed-organizations', '3'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const banner: string[] = [];
      for await (const line of createInterface({ input: child.stdout })) {
        banner.push(line);
        if (line.includes('SDK:')) break;
      }
      const url = /listening on (http:\/\/\S+)/.exec(banner.join('\n'))?.[1];
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(banner.join('\n')).toContain('alice@acme.test');
      expect(banner.join('\n')).toContain('sk_test_cli');

      const list = await fetch(`${url}/organizations?limit=10`, { headers: { authorization: 'Bearer sk_test_cli' } });
      const body = (await list.json()) as { data: unknown[] };
      expect(body.data).toHaveLength(3);
      const refused = await fetch(`${url}/organizations`, { headers: { authorization: 'Bearer sk_test_wrong' } });
      expect(refused.status).toBe(401);

      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('refuses a bad option with a message naming it', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', 'abc'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr).toContain('--port');
  });
});
