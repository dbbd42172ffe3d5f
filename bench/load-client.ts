/**
 * A closed-loop load of one GraphQL request, in a process of its own, so the client's work
 * (sending, parsing answers) does not share the gateway's event loop: `connections` loops each
 * send the next request when the last is answered. Started by `remoteLoad` (below) as
 *   node --import tsx --conditions=source bench/load-client.ts <request JSON>
 * and prints one JSON line: requests per second and latencies.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { load, percentile } from './stack.ts';

export interface LoadRequest {
  url: string;
  token: string;
  document: string;
  variables: Record<string, unknown>;
  connections: number;
  /** Requests sent first and not counted (connections, caches). */
  warmup: number;
  total: number;
}

export interface LoadResult {
  rps: number;
  p50: number;
  p90: number;
  errors: number;
}

/** Runs the load from a child process and returns what it measured. */
export async function remoteLoad(request: LoadRequest): Promise<LoadResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', 'bench/load-client.ts', JSON.stringify(request)], {
    cwd: new URL('..', import.meta.url).pathname,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the load client exited with ${code}`);
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as LoadResult;
}

async function main(request: LoadRequest): Promise<void> {
  const body = JSON.stringify({ query: request.document, variables: request.variables });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${request.token}` };
  let errors = 0;
  const send = async () => {
    const response = await fetch(request.url, { method: 'POST', headers, body });
    const answer = (await response.json()) as { errors?: unknown[] };
    if (response.status !== 200 || answer.errors) errors++;
  };
  await load(request.warmup, request.connections, send);
  errors = 0;
  const { latencies, throughput } = await load(request.total, request.connections, send);
  const at = (p: number) => Math.round(percentile(latencies, p) * 10) / 10;
  const result: LoadResult = { rps: Math.round(throughput * 10) / 10, p50: at(50), p90: at(90), errors };
  console.log(JSON.stringify(result));
}

if (process.argv[1]?.endsWith('load-client.ts')) {
  await main(JSON.parse(process.argv[2] ?? '{}') as LoadRequest);
}
