import { createHash } from 'node:crypto';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { TooManyAttemptsError } from '../errors/sign-in.ts';
import { report } from '../observability/request-record.ts';

export interface SignInLimitOptions {
  /** Failed sign-ins (and code sends) per client address per window. */
  perIp: number;
  /** Failed sign-ins per account from one client address per window. */
  perAccount: number;
  windowSeconds: number;
}

/**
 * WorkOS sends at most 3 magic auth codes, password resets or verification emails per email (or
 * user) per 60 s; the gateway stops there too, so it never spends a call WorkOS would refuse.
 */
export const EMAIL_SENDS = { points: 3, duration: 60 } as const;

/** Accounts are keyed by hash: the limiter's memory holds no email addresses. */
const hash = (value: string) => createHash('sha256').update(value.trim().toLowerCase()).digest('base64url');
const pairKey = (account: string, ip: string) => `${hash(account)}|${ip}`;

const refusal = (error: unknown): unknown =>
  error instanceof RateLimiterRes ? new TooManyAttemptsError(Math.max(1, Math.ceil(error.msBeforeNext / 1000))) : error;

/**
 * Brute-force brakes in front of WorkOS' authenticate endpoint, checked before WorkOS is asked.
 * rate-limiter-flexible's "login endpoint protection": failures are counted per client address
 * (slow brute force from one place) and per account *and* address (consecutive failures), never
 * per account alone, so a stranger guessing someone's password from elsewhere cannot lock its
 * owner out. Each attempt spends its points up front (so parallel guesses cannot slip past) and
 * a success gives them back. The counters are fixed windows in memory; RateLimiterRedis has the
 * same API for several gateway instances sharing them.
 */
export class SignInLimits {
  private readonly perIp: RateLimiterMemory;
  private readonly perAccountAndIp: RateLimiterMemory;
  private readonly sends: RateLimiterMemory;

  constructor(options: SignInLimitOptions) {
    this.perIp = new RateLimiterMemory({ keyPrefix: 'sign-in-ip', points: options.perIp, duration: options.windowSeconds });
    this.perAccountAndIp = new RateLimiterMemory({ keyPrefix: 'sign-in-account-ip', points: options.perAccount, duration: options.windowSeconds });
    this.sends = new RateLimiterMemory({ keyPrefix: 'email-sends', ...EMAIL_SENDS });
  }

  /** Before an attempt: refused once the address, or this account from this address, failed too often. */
  async consume(ip: string, account?: string): Promise<void> {
    let limit: 'ip_limit' | 'account_limit' = 'ip_limit';
    try {
      await this.perIp.consume(ip);
      limit = 'account_limit';
      if (account !== undefined) await this.perAccountAndIp.consume(pairKey(account, ip));
    } catch (error) {
      if (error instanceof RateLimiterRes) report({ kind: 'sign_in_refused', reason: limit });
      throw refusal(error);
    }
  }

  /** A successful sign-in was no failure: its address gets the point back, the account's count starts over. */
  async succeeded(ip: string, account?: string): Promise<void> {
    await this.perIp.reward(ip, 1);
    if (account !== undefined) await this.perAccountAndIp.delete(pairKey(account, ip));
  }

  /** Before emailing a code or link: per address, and per email at WorkOS' own limit. */
  async consumeSend(ip: string, email: string): Promise<void> {
    let limit: 'ip_limit' | 'email_send_limit' = 'ip_limit';
    try {
      await this.perIp.consume(ip);
      limit = 'email_send_limit';
      await this.sends.consume(hash(email));
    } catch (error) {
      if (error instanceof RateLimiterRes) report({ kind: 'sign_in_refused', reason: limit });
      throw refusal(error);
    }
  }
}
