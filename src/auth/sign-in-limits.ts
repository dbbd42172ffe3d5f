import { createHash } from 'node:crypto';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { TooManyAttemptsError } from '../errors/sign-in.ts';
import { report } from '../observability/request-record.ts';
import type { SharedStore } from '../shared/store.ts';
import { shareOf } from '../transport/rate-buckets.ts';

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

/** Accounts are keyed by hash: the limiter's memory (and Redis) holds no email addresses. */
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
 * a success gives them back. The counters are fixed windows: in memory for one instance, in
 * Redis (RateLimiterRedis) when several instances share a SharedStore.
 */
export class SignInLimits {
  private readonly perIp: RateLimiterAbstract;
  private readonly perAccountAndIp: RateLimiterAbstract;
  private readonly sends: RateLimiterAbstract;

  constructor(options: SignInLimitOptions, store?: SharedStore) {
    this.perIp = limiter(store, 'sign-in-ip', options.perIp, options.windowSeconds);
    this.perAccountAndIp = limiter(store, 'sign-in-account-ip', options.perAccount, options.windowSeconds);
    this.sends = limiter(store, 'email-sends', EMAIL_SENDS.points, EMAIL_SENDS.duration);
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

/**
 * One counter: in memory, or shared in Redis. A Redis limiter that cannot reach Redis (not
 * ready, or a command failing or timing out) answers from its insurance limiter at once:
 * rate-limiter-flexible's Insurance Strategy, with the limit divided by the number of
 * instances, so all instances together still stay within it while each counts alone.
 */
function limiter(store: SharedStore | undefined, name: string, points: number, duration: number): RateLimiterAbstract {
  if (!store) return new RateLimiterMemory({ keyPrefix: name, points, duration });
  return new RateLimiterRedis({
    storeClient: store.redis,
    keyPrefix: store.key(name),
    points,
    duration,
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory({ keyPrefix: name, points: shareOf(points, store.config.instances), duration }),
  });
}

