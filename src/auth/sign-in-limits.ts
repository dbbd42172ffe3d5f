import { createHash } from 'node:crypto';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { TooManyAttemptsError } from '../errors/sign-in.ts';
import { report } from '../observability/request-record.ts';

export interface SignInLimitOptions {
  /** Attempts per client address per window. */
  perIp: number;
  /** Attempts per account (email, or pending sign-in) per window. */
  perAccount: number;
  windowSeconds: number;
}

/** Accounts are keyed by hash: the limiter's memory holds no email addresses. */
const accountKey = (account: string) => createHash('sha256').update(account.trim().toLowerCase()).digest('base64url');

/**
 * Brute-force brakes in front of WorkOS' authenticate endpoint, checked before WorkOS is asked.
 * rate-limiter-flexible keeps fixed-window counters; its RateLimiterRedis has the same API for
 * when several gateway instances must share them.
 */
export class SignInLimits {
  private readonly perIp: RateLimiterMemory;
  private readonly perAccount: RateLimiterMemory;

  constructor(options: SignInLimitOptions) {
    this.perIp = new RateLimiterMemory({ keyPrefix: 'sign-in-ip', points: options.perIp, duration: options.windowSeconds });
    this.perAccount = new RateLimiterMemory({
      keyPrefix: 'sign-in-account',
      points: options.perAccount,
      duration: options.windowSeconds,
    });
  }

  /** Spends one attempt of the address and, when given, of the account; throws when either is used up. */
  async consume(ip: string, account?: string): Promise<void> {
    let limit: 'ip_limit' | 'account_limit' = 'ip_limit';
    try {
      await this.perIp.consume(ip);
      limit = 'account_limit';
      if (account !== undefined) await this.perAccount.consume(accountKey(account));
    } catch (error) {
      if (error instanceof RateLimiterRes) {
        report({ kind: 'sign_in_refused', reason: limit });
        throw new TooManyAttemptsError(Math.max(1, Math.ceil(error.msBeforeNext / 1000)));
      }
      throw error;
    }
  }

  /** A successful sign-in clears the account's failures (its address keeps its count). */
  async succeeded(account: string): Promise<void> {
    await this.perAccount.delete(accountKey(account));
  }
}
