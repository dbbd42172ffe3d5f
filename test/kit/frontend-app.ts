import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Tools for testing the client package the way a frontend team meets it: packed with `npm pack`,
 * installed from the tarball into an app outside this repository, built and run with the
 * machine's own Node (not this repository's Node 24), with the npm registry for everything else.
 */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Installs and downloads kept between runs; everything works without it. */
export const CACHE = join(ROOT, 'node_modules/.cache/frontend-e2e');

/** The machine's Node: the first `node` on PATH that is not a node_modules/.bin shim. */
export function machineNode(): { bin: string; version: string } {
  const candidates = execFileSync('which', ['-a', 'node'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  const bin = candidates.find((path) => !path.includes('node_modules'));
  if (!bin) throw new Error(`No Node outside node_modules on PATH (${candidates.join(', ')})`);
  return { bin, version: execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim() };
}

/** An environment with only the machine's Node and npm on PATH, nothing of this repository's npm run. */
export function machineEnv(): NodeJS.ProcessEnv {
  const nodeDir = dirname(machineNode().bin);
  return { PATH: [nodeDir, '/usr/local/bin', '/usr/bin', '/bin'].join(':'), HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, CI: 'true', NO_COLOR: '1' };
}

/** Runs a command to completion (bounded by `timeoutMs`); fails with its output. */
export function run(command: string, args: string[], cwd: string, timeoutMs = 180_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: machineEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ${args.join(' ')} in ${cwd} ended with ${code ?? signal}:\n${output.slice(-4000)}`));
    });
  });
}

const npm = (args: string[], cwd: string, timeoutMs?: number) =>
  run('npm', [...args, '--no-audit', '--no-fund', '--cache', join(CACHE, 'npm'), '--prefer-offline'], cwd, timeoutMs);

/** `npm pack` of packages/client (its prepack builds it), run with the machine's Node. */
export async function packClient(destination: string): Promise<string> {
  const output = await npm(['pack', '--pack-destination', destination], join(ROOT, 'packages/client'));
  const name = output.trim().split('\n').at(-1)!.trim();
  return join(destination, name);
}

/** create-vite's react-ts template, as `npm create vite -- --template react-ts` copies it. */
export async function viteTemplate(version: string): Promise<string> {
  const dir = join(CACHE, `create-vite-${version}`);
  const template = join(dir, 'package/template-react-ts');
  if (existsSync(join(template, 'package.json'))) return template;
  mkdirSync(dir, { recursive: true });
  const tarball = (await npm(['pack', `create-vite@${version}`, '--pack-destination', dir], dir)).trim().split('\n').at(-1)!.trim();
  execFileSync('tar', ['xzf', join(dir, tarball), '-C', dir]);
  return template;
}

/**
 * `npm install` in `app`. The installed tree of an identical dependency list is kept (hard
 * links where the disk allows) and reused, with `npm install <tarball>` bringing the freshly
 * packed client in; without it, a full install from the registry.
 */
export async function installApp(app: string, clientTarball: string): Promise<{ cached: boolean }> {
  const manifest = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
  const deps = { ...manifest.dependencies, ...manifest.devDependencies, '@workos-graphql-gateway/client': 'packed' };
  const key = createHash('sha256').update(JSON.stringify(deps)).update(machineNode().version).digest('hex').slice(0, 16);
  const saved = join(CACHE, `app-${key}`);
  if (existsSync(join(saved, 'node_modules')) && existsSync(join(saved, 'package-lock.json'))) {
    copyTree(join(saved, 'node_modules'), join(app, 'node_modules'));
    cpSync(join(saved, 'package-lock.json'), join(app, 'package-lock.json'));
    await npm(['install', `file:${clientTarball}`], app);
    return { cached: true };
  }
  await npm(['install'], app, 300_000);
  // Keep it for the next run (written aside, then moved into place, so a half copy is never used).
  for (const stale of readdirSync(CACHE).filter((d) => d.startsWith('app-'))) rmSync(join(CACHE, stale), { recursive: true, force: true });
  const partial = `${saved}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  copyTree(join(app, 'node_modules'), join(partial, 'node_modules'));
  cpSync(join(app, 'package-lock.json'), join(partial, 'package-lock.json'));
  renameSync(partial, saved);
  return { cached: false };
}

/** A copy of a directory tree: hard links when on one disk (instant), else a real copy. */
function copyTree(from: string, to: string): void {
  try {
    execFileSync('cp', ['-al', from, to]);
  } catch {
    rmSync(to, { recursive: true, force: true });
    cpSync(from, to, { recursive: true, verbatimSymlinks: true });
  }
}

export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}
