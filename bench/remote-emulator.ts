import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { DEFAULT_CLIENT_ID } from '@workos-graphql-gateway/emulator';

export interface RemoteEmulator {
  url: string;
  apiKey: string;
  clientId: string;
  /** Calls the test controls over HTTP. */
  control(method: string, path: string, body?: unknown): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * The emulator in a process of its own, as WorkOS would be: its event loop is not the
 * gateway's, so a busy gateway does not distort when WorkOS sees its calls.
 */
export async function startRemoteEmulator(args: string[] = []): Promise<RemoteEmulator> {
  const apiKey = 'sk_test_bench';
  // This Node, with tsx's loader: one process, so stopping it stops the emulator.
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'packages/emulator/src/cli.ts', '--port', '0', '--api-key', apiKey, ...args], {
    cwd: new URL('..', import.meta.url).pathname,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  let url = '';
  for await (const line of lines) {
    const match = /listening on (http:\/\/\S+)/.exec(line);
    if (match) {
      url = match[1];
      break;
    }
  }
  if (!url) throw new Error('the emulator did not start');
  // Keep draining its output: a child writing into a full pipe nobody reads would stall.
  lines.close();
  child.stdout!.resume();
  const control = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}/_emulator${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return response.json();
  };
  return {
    url,
    apiKey,
    clientId: DEFAULT_CLIENT_ID,
    control,
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      // A stop that hangs (a connection held open) must not hang the benchmark.
      const force = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(force);
    },
  };
}
