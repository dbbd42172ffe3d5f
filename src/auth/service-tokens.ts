import { createHash, timingSafeEqual } from 'node:crypto';

/** SHA-256 of a token: the gateway keeps only these, so a heap dump shows no usable secret. */
export const hashServiceToken = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/**
 * Service tokens for trusted backends (GATEWAY_SERVICE_TOKENS). A presented token is hashed and
 * compared with every known hash in constant time, so timing tells nothing about how much of it
 * matched or which one did.
 */
export class ServiceTokens {
  constructor(private readonly hashes: readonly Buffer[]) {}

  /** The matching token's fingerprint (first 8 hex digits of its hash), or undefined. */
  match(token: string): string | undefined {
    const presented = hashServiceToken(token);
    let found: Buffer | undefined;
    for (const hash of this.hashes) {
      // No early exit: every hash is compared whatever the outcome.
      if (timingSafeEqual(presented, hash)) found = hash;
    }
    return found?.subarray(0, 4).toString('hex');
  }
}
