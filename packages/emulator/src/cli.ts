#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { DEMO_USERS } from './seed.ts';
import { startEmulator, type EmulatorOptions } from './server.ts';

const USAGE = `Usage: workos-emulator [options]   (in this repository: npm run emulator -- [options])
  --port N              port to listen on (default 4100; 0 = any free port)
  --host H              interface (default 127.0.0.1)
  --api-key KEY         API key clients must send (default sk_test_emulator)
  --client-id ID        client id (default a fixed client_...)
  --webhook-url URL     deliver signed events to URL (repeatable)
  --webhook-secret S    signing secret for the webhook URLs
  --no-rate-limits      turn WorkOS rate limits off
  --seed-users N        number of seeded users (default 200)
  --seed-organizations N  number of seeded organizations (default 20)
  --help`;

function int(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a non-negative integer, got '${value}'.`);
    process.exit(2);
  }
  return n;
}

function parse(): EmulatorOptions {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4100' },
      host: { type: 'string' },
      'api-key': { type: 'string' },
      'client-id': { type: 'string' },
      'webhook-url': { type: 'string', multiple: true },
      'webhook-secret': { type: 'string' },
      'no-rate-limits': { type: 'boolean', default: false },
      'seed-users': { type: 'string' },
      'seed-organizations': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const urls = values['webhook-url'] ?? [];
  if (urls.length > 0 && !values['webhook-secret']) {
    console.error('--webhook-url needs --webhook-secret.');
    process.exit(2);
  }
  return {
    host: values.host,
    port: int('port', values.port),
    apiKey: values['api-key'],
    clientId: values['client-id'],
    rateLimits: values['no-rate-limits'] ? false : undefined,
    webhookEndpoints: urls.map((url) => ({ url, secret: values['webhook-secret'] as string })),
    // Only the sizes given: an undefined key would override the seed's default with nothing.
    seed: Object.fromEntries(
      Object.entries({
        users: int('seed-users', values['seed-users']),
        organizations: int('seed-organizations', values['seed-organizations']),
      }).filter(([, v]) => v !== undefined),
    ),
  };
}

async function main(): Promise<void> {
  let options: EmulatorOptions;
  try {
    options = parse();
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    console.error(USAGE);
    process.exit(2);
  }
  const emulator = await startEmulator(options);
  const lines = [
    `WorkOS emulator listening on ${emulator.url}`,
    `  API key:   ${emulator.apiKey}`,
    `  Client id: ${emulator.clientId}`,
    `  Rate limits: ${options.rateLimits === false ? 'off' : 'WorkOS defaults'}`,
    `  Test controls: ${emulator.url}/_emulator/`,
    '  Demo users (email / password / role):',
    ...DEMO_USERS.map((u) => {
      const notes = [u.emailVerified === false ? 'email unverified' : '', u.totpSecret ? `TOTP secret ${u.totpSecret}` : '']
        .filter(Boolean)
        .join(', ');
      return `    ${u.email.padEnd(20)} ${u.password}  ${u.role} of ${u.organizationName}${notes ? ` (${notes})` : ''}`;
    }),
    `  SDK: new WorkOS('${emulator.apiKey}', { apiHostname: '${new URL(emulator.url).hostname}', port: ${new URL(emulator.url).port}, https: false, clientId: '${emulator.clientId}' })`,
  ];
  console.log(lines.join('\n'));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: closing the emulator`);
    emulator.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

void main();
