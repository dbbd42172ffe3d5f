import { randomBytes } from 'node:crypto';
import { DEMO_USERS, startEmulator } from '@workos-graphql-gateway/emulator';
import type { GatewayConfig } from '../config/index.ts';
import { WEBHOOK_PATH } from '../events/webhook-endpoint.ts';

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
  const emulator = await startEmulator({ port: 0 });
  const { hostname, port } = new URL(emulator.url);
  // A secret made for this run, so events (cache invalidation, subscriptions) work with no setup.
  const webhookSecret = config.workos.webhookSecret ?? randomBytes(32).toString('base64url');
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

/** Ready tokens for the demo admin and a demo member: local mode needs no sign-in step to try the API. */
function demoTokenLines(tokens: { email: string; role: string | null; accessToken: string }[]): string[] {
  const picks = [tokens.find((t) => t.role === 'admin'), tokens.find((t) => t.role === 'member')].filter((t) => t !== undefined);
  return [
    'Demo access tokens (valid 12 h). In GraphiQL open Headers and paste {"Authorization": "Bearer <token>"}:',
    ...picks.flatMap((t) => [`  ${t.role} ${t.email}:`, `    ${t.accessToken}`]),
  ];
}
