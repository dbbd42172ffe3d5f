import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, copyFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { startEmulator, type EmulatorHandle } from '@workos-graphql-gateway/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upstreamEnv } from '../kit/gateway.ts';

/**
 * The production build as an operator runs it: `npm run build`'s tsc output, started with
 * plain `node dist/main.js` (no TypeScript loader) in a directory that holds only the
 * production dependencies of package-lock.json — a development dependency or the emulator
 * could not even be found — against an emulator this test starts. An import hook records
 * every module the server resolved.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; devOptional?: boolean; link?: boolean }> };
const devDependencies = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies);

/** Top-level packages a production install has: not dev-only, not a workspace link. */
const productionPackages = Object.entries(lock.packages)
  .filter(([path, p]) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(path) && !p.dev && !p.devOptional && !p.link)
  .map(([path]) => path);

let app: string;
let emulator: EmulatorHandle;
let child: ChildProcess | undefined;

/** Hard links where the file system allows (fast), copies where it does not. */
function place(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  try {
    execFileSync('cp', ['-al', from, to]);
  } catch {
    execFileSync('cp', ['-a', from, to]);
  }
}

beforeAll(async () => {
  // Outside the repository: Node looks for packages in every parent folder, the repository's node_modules included.
  app = mkdtempSync(join(tmpdir(), 'gateway-prod-'));
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(app, 'dist')], { cwd: ROOT });
  copyFileSync(join(ROOT, 'package.json'), join(app, 'package.json'));
  for (const path of productionPackages) place(join(ROOT, path), join(app, path));
  emulator = await startEmulator({ rateLimits: false });
}, 180_000);

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await emulator?.close();
  if (app) rmSync(app, { recursive: true, force: true });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('the production build', () => {
  it('compiles to JavaScript only, without tests, specs or local mode', () => {
    const files = filesUnder(join(app, 'dist')).map((f) => f.slice(app.length + 1));
    expect(files).toContain('dist/main.js');
    expect(files).toContain('dist/gateway.js');
    expect(files.filter((f) => !f.endsWith('.js') && !f.endsWith('.js.map'))).toEqual([]);
    expect(files.filter((f) => f.includes('.spec.') || f.startsWith('dist/local/') || f.startsWith('dist/client/'))).toEqual([]);
    for (const dev of ['vitest', 'tsx', 'typescript', '@workos-graphql-gateway/emulator', 'pino-pretty']) {
      expect(existsSync(join(app, 'node_modules', dev))).toBe(false);
    }
  });

  it('serves queries with plain node, loading no development dependency and no emulator code', async () => {
    const serviceToken = `svc_${randomBytes(32).toString('base64url')}`;
    const metricsToken = randomBytes(32).toString('base64url');
    const auditFile = join(app, 'loaded.json');
    child = spawn(process.execPath, ['--import', join(ROOT, 'test/main/audit-imports.mjs'), 'dist/main.js'], {
      cwd: app,
      env: {
        PATH: process.env.PATH,
        ...upstreamEnv(emulator),
        NODE_ENV: 'production',
        PORT: '0',
        GATEWAY_SERVICE_TOKENS: serviceToken,
        GATEWAY_METRICS: 'on',
        GATEWAY_METRICS_TOKEN: metricsToken,
        AUDIT_FILE: auditFile,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let url: string | undefined;
    const logLines: string[] = [];
    for await (const line of createInterface({ input: child.stdout! })) {
      if (line.startsWith('{')) logLines.push(line);
      url ??= /ready: (http:\/\/\S+\/graphql)/.exec(line)?.[1];
      if (url && logLines.some((l) => l.includes('"event":"started"'))) break;
    }
    expect(stderr).toBe('');
    expect(url).toBeDefined();
    const base = new URL('/', url);

    const response = await fetch(url!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${serviceToken}`, 'x-request-id': 'build-test-1' },
      body: JSON.stringify({ query: 'query Orgs { organizations(first: 2) { edges { node { name } } } }' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('build-test-1');
    const body = (await response.json()) as { data: { organizations: { edges: { node: { name: string } }[] } } };
    expect(body.data.organizations.edges).toHaveLength(2);

    expect((await fetch(new URL('/health', base))).status).toBe(200);
    const ready = await fetch(new URL('/ready', base));
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { checks: Record<string, { ok: boolean }> }).checks).toMatchObject({ upstream: { ok: true }, jwks: { ok: true } });
    expect((await fetch(new URL('/metrics', base))).status).toBe(401);
    const metrics = await (await fetch(new URL('/metrics', base), { headers: { authorization: `Bearer ${metricsToken}` } })).text();
    expect(metrics).toContain('gateway_graphql_operations_total{operation="Orgs",type="query",outcome="ok"} 1');

    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);

    const loaded = JSON.parse(readFileSync(auditFile, 'utf8')) as string[];
    const files = loaded.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u));
    expect(files.length).toBeGreaterThan(50);
    // Everything came from the build and the production install; nothing from the repository.
    expect(files.filter((f) => !f.startsWith(`${app}/`))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts') || f.includes('/packages/emulator/') || f.includes('@workos-graphql-gateway'))).toEqual([]);
    const packagesLoaded = new Set(files.map((f) => /\/node_modules\/((@[^/]+\/)?[^/]+)\//.exec(f)?.[1]).filter((p): p is string => p !== undefined));
    expect([...packagesLoaded].filter((p) => devDependencies.includes(p))).toEqual([]);
    expect(packagesLoaded).toContain('graphql-yoga');
    expect(packagesLoaded).toContain('@workos-inc/node');
  }, 60_000);

  it('has no local mode: without WORKOS_API_KEY it says to run from source, and stops', async () => {
    const bare = spawn(process.execPath, ['dist/main.js'], { cwd: app, env: { PATH: process.env.PATH, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    bare.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(bare, 'exit');
    expect(code).toBe(1);
    expect(stderr).toContain('local mode (the demo emulator) runs only from the source checkout');
  });
});
