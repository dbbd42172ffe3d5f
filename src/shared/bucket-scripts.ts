import type { Result } from 'ioredis';

/**
 * The rate buckets of src/transport/rate-buckets.ts, run inside Redis so that every instance
 * spends from the same ones: a window log (a sorted set of send times, at most `limit` within
 * `span`), GCRA pacing (the theoretical arrival time, `tat`, may run at most `tolerance` ahead)
 * and a 429 pause. One script call takes room for a batch of calls, in order, atomically; the
 * clock is Redis' own, so instances with skewed clocks still count one window.
 *
 * KEYS: two per bucket of each call, in order: the log (sorted set) and its state (hash: tat,
 * paused, seq). ARGV: the number of calls, the position in KEYS of the general limit's log (0:
 * none), then per call its bucket count and per bucket: limit, span, interval, tolerance.
 * Returns per call [wait ms (0: taken), which of its buckets holds it back], then the general
 * limit's calls in its window.
 */
export const TAKE_BUCKETS = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local calls = tonumber(ARGV[1])
local general = tonumber(ARGV[2])
local a = 3
local k = 1
local out = {}
for c = 1, calls do
  local n = tonumber(ARGV[a])
  a = a + 1
  local firstKey, firstArg = k, a
  local wait, binding = 0, 0
  for b = 1, n do
    local log, state = KEYS[k], KEYS[k + 1]
    local limit, span, tolerance = tonumber(ARGV[a]), tonumber(ARGV[a + 1]), tonumber(ARGV[a + 3])
    redis.call('ZREMRANGEBYSCORE', log, '-inf', now - span)
    local at = now
    local used = redis.call('ZCARD', log)
    if used >= limit then
      local oldest = redis.call('ZRANGE', log, used - limit, used - limit, 'WITHSCORES')
      at = tonumber(oldest[2]) + span
    end
    local s = redis.call('HMGET', state, 'tat', 'paused')
    at = math.max(at, tonumber(s[2]) or 0, (tonumber(s[1]) or 0) - tolerance)
    if at - now > wait then
      wait = at - now
      binding = b - 1
    end
    k = k + 2
    a = a + 4
  end
  if wait == 0 then
    k, a = firstKey, firstArg
    for b = 1, n do
      local log, state = KEYS[k], KEYS[k + 1]
      local span, interval = tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2])
      local seq = redis.call('HINCRBY', state, 'seq', 1)
      redis.call('ZADD', log, now, now .. ':' .. seq)
      local tat = tonumber(redis.call('HGET', state, 'tat')) or 0
      redis.call('HSET', state, 'tat', math.max(tat, now) + interval)
      local paused = tonumber(redis.call('HGET', state, 'paused')) or 0
      local ttl = math.ceil(math.max(span * 2, paused - now + span))
      redis.call('PEXPIRE', log, ttl)
      redis.call('PEXPIRE', state, ttl)
      k = k + 2
      a = a + 4
    end
  end
  out[#out + 1] = math.ceil(wait)
  out[#out + 1] = binding
end
if general > 0 then
  out[#out + 1] = redis.call('ZCARD', KEYS[general])
else
  out[#out + 1] = 0
end
return out
`;

/**
 * After a 429 seen by any instance: the bucket takes nothing until now + wait (Redis' clock),
 * for every instance. KEYS: the bucket's state hash. ARGV: wait ms, the bucket's span.
 */
export const PAUSE_BUCKET = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local wait, span = tonumber(ARGV[1]), tonumber(ARGV[2])
local paused = tonumber(redis.call('HGET', KEYS[1], 'paused')) or 0
if now + wait > paused then
  redis.call('HSET', KEYS[1], 'paused', now + wait)
end
local ttl = math.ceil(math.max(redis.call('PTTL', KEYS[1]), wait + span))
redis.call('PEXPIRE', KEYS[1], ttl)
return 1
`;

// ioredis' documented way to type commands added with defineCommand.
declare module 'ioredis' {
  interface RedisCommander<Context> {
    gatewayTakeBuckets(numberOfKeys: number, ...keysAndArgs: (string | number)[]): Result<number[], Context>;
    gatewayPauseBucket(key: string, waitMs: number, spanMs: number): Result<number, Context>;
  }
}
