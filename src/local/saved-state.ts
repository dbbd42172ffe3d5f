import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What local mode keeps between runs, so tokens and GraphiQL headers survive a restart. */
export interface SavedLocalState {
  /** The emulator's port: the `iss` of its tokens names it. */
  port: number;
  apiKey: string;
  /** PKCS#8 PEM of the RSA key the emulator signs tokens with. */
  signingKey: string;
  webhookSecret: string;
}

export const STATE_FILE = 'local-emulator.json';

const isState = (v: unknown): v is SavedLocalState =>
  typeof v === 'object' &&
  v !== null &&
  Number.isInteger((v as SavedLocalState).port) &&
  typeof (v as SavedLocalState).apiKey === 'string' &&
  /^sk_[A-Za-z0-9_]+$/.test((v as SavedLocalState).apiKey) &&
  typeof (v as SavedLocalState).signingKey === 'string' &&
  typeof (v as SavedLocalState).webhookSecret === 'string';

/** The saved state, or a new one (port 0: the emulator picks, and the pick is saved). */
export function loadLocalState(dataDir: string): { state: SavedLocalState; saved: boolean } {
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(dataDir, STATE_FILE), 'utf8'));
    if (isState(parsed)) return { state: parsed, saved: true };
  } catch {
    // none yet, or unreadable: start afresh
  }
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    saved: false,
    state: {
      port: 0,
      apiKey: `sk_test_local_${randomBytes(16).toString('hex')}`,
      signingKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      webhookSecret: randomBytes(32).toString('base64url'),
    },
  };
}

/** Written whole then renamed, readable by its owner only (it holds a key). */
export function saveLocalState(dataDir: string, state: SavedLocalState): void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, STATE_FILE);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}
