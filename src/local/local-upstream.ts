import { join } from 'node:path';
import { DEMO_USERS, startEmulator, type EmulatorHandle } from '@workos-graphql-gateway/emulator';
import type { GatewayConfig } from '../config/index.ts';
import { WEBHOOK_PATH } from '../events/webhook-endpoint.ts';
import { loadLocalState, saveLocalState, STATE_FILE, type SavedLocalState } from './saved-state.ts';

/** What local mode hands the start: an upstream to point the gateway at, and what to do once it listens. */
export interface LocalUpstream {
  workos: GatewayConfig['workos'] & { apiKey: string };
  /** Lines for the start banner: where the emulator is, the demo users and ready tokens. */
  banner: string[];
  /** Points the emulator's signed webhooks at the gateway, once its URL is known. */
  connect(gatewayUrl: string): void;
  close(): Promise<void>;
}

/**
 * Local mode: the WorkOS emulator with demo data, in this process, so a newcomer has a working
 * GraphiQL with no account and no network. The only module that loads the emulator (lint
 * enforces it); src/main.ts imports it dynamically, so production never loads it.
 */
export async function startLocalUpstream(config: GatewayConfig): Promise<LocalUpstream> {
  // Port, key and signing key are kept in the data directory: tokens and GraphiQL headers survive a restart.
  const { state, saved } = loadLocalState(config.dataDir);
  const { emulator, movedFrom } = await startOnSavedPort(state);
  const { hostname, port } = new URL(emulator.url);
  saveLocalState(config.dataDir, { ...state, port: Number(port) });
  // A secret kept with the rest, so events (cache invalidation, subscriptions) work with no setup.
  const webhookSecret = config.workos.webhookSecret ?? state.webhookSecret;
  const stateFile = join(config.dataDir, STATE_FILE);
  const kept = movedFrom
    ? `Port ${movedFrom} of the last run is taken: the emulator moved to ${port}, so tokens from before this start no longer work (their issuer names the old port).`
    : saved
      ? `Port, API key and signing key kept from the last run (${stateFile}): earlier demo tokens and GraphiQL headers still work.`
      : `Port, API key and signing key saved in ${stateFile}: demo tokens and GraphiQL headers will survive restarts (delete the file for new ones).`;
  return {
    workos: {
      ...config.workos,
      apiKey: emulator.apiKey,
      clientId: emulator.clientId,
      apiHostname: hostname,
      https: false,
      apiPort: Number(port),
      webhookSecret,
    },
    banner: [
      `Upstream: local WorkOS emulator at ${emulator.url} (demo data; set WORKOS_API_KEY for real WorkOS)`,
      kept,
      'Demo users (password sign-in):',
      ...DEMO_USERS.map((u) => `  ${u.email}  ${u.password}  (${u.role} of ${u.organizationName})`),
      ...demoTokenLines(await emulator.issueDemoAccessTokens()),
    ],
    connect: (gatewayUrl) => {
      emulator.addWebhookEndpoint({ url: new URL(WEBHOOK_PATH, gatewayUrl).toString(), secret: webhookSecret });
    },
    close: () => emulator.close(),
  };
}

/** The saved port if it is free, else any free one (and which port was lost). */
async function startOnSavedPort(state: SavedLocalState): Promise<{ emulator: EmulatorHandle; movedFrom?: number }> {
  const options = { apiKey: state.apiKey, signingKey: state.signingKey };
  try {
    return { emulator: await startEmulator({ ...options, port: state.port }) };
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'EADDRINUSE') throw error;
    return { emulator: await startEmulator({ ...options, port: 0 }), movedFrom: state.port };
  }
}

/** Ready tokens for the demo admin and a demo member: local mode needs no sign-in step to try the API. */
function demoTokenLines(tokens: { email: string; role: string | null; accessToken: string }[]): string[] {
  const picks = [tokens.find((t) => t.role === 'admin'), tokens.find((t) => t.role === 'member')].filter((t) => t !== undefined);
  return [
    'Demo access tokens (valid 12 h). In GraphiQL open Headers and paste {"Authorization": "Bearer <token>"}:',
    ...picks.flatMap((t) => [`  ${t.role} ${t.email}:`, `    ${t.accessToken}`]),
  ];
}
