import type { Result } from 'ioredis';

/**
 * The rate buckets of src/transport/rate-buckets.ts, run inside Redis so that every instance
 * spends from the same ones: a window log (a sorted set of send times, at most `limit` within
 * `span`), GCRA pacing (the theoretical arrival time, `tat`, may run at most `tolerance` ahead)
 * and a 429 pause. One script call takes room for a batch of calls, in order, atomically; the
 * clock is Redis' own, so instances with skewed clocks still count one window.
 *
 * Turns across instances: a refused call leaves its tenant's place in the state of the one
 * bucket that held it back (`w:<tenant>` = since when it waits, and until when it is expected back);
 * when room comes, a tenant that has waited less (or not at all) is refused for as long as an
 * earlier one is expected back, so tenants are served in the order they started waiting, as the
 * scheduler serves them within one instance. A place that is not claimed in time lapses.
 *
 * KEYS: two per bucket of each call, in order: the log (sorted set) and its state (hash: tat,
 * paused, seq, w:<tenant>). ARGV: the number of calls, the position in KEYS of the general
 * limit's log (0: none), the grace of a place (ms), then per call its tenant (a hash) and bucket
 * count, and per bucket: limit, span, interval, tolerance. Returns per call [wait ms (0: taken),
 * which of its buckets holds it back], then the general limit's calls in its window.
 */
export const TAKE_BUCKETS = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local calls = tonumber(ARGV[1])
local general = tonumber(ARGV[2])
local grace = tonumber(ARGV[3])
local a = 4
local k = 1
local out = {}

-- Another tenant that started waiting before this one and is still expected back: until when.
local function turnOf(state, tenant)
  local entries = redis.call('HGETALL', state)
  local mine = math.huge
  local others = {}
  for i = 1, #entries, 2 do
    local field = entries[i]
    if string.sub(field, 1, 2) == 'w:' then
      local since, due = string.match(entries[i + 1], '^([%d.]+):([%d.]+)$')
      since, due = tonumber(since), tonumber(due)
      if due < now then
        redis.call('HDEL', state, field)
      elseif string.sub(field, 3) == tenant then
        mine = since
      else
        others[#others + 1] = { since, due }
      end
    end
  end
  local hold = 0
  for _, o in ipairs(others) do
    if o[1] < mine and o[2] - now > hold then hold = o[2] - now end
  end
  return hold
end

for c = 1, calls do
  local tenant = ARGV[a]
  local n = tonumber(ARGV[a + 1])
  a = a + 2
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
    k = firstKey
    for b = 1, n do
      local hold = turnOf(KEYS[k + 1], tenant)
      if hold > wait then
        wait = hold
        binding = b - 1
      end
      k = k + 2
    end
  end
  -- The bucket that held the call back (for want of room, or another tenant's turn) is the only
  -- one where this tenant waits: one email's or directory's limit never holds up other tenants.
  local waitsIn = firstKey + 2 * binding + 1
  k, a = firstKey, firstArg
  for b = 1, n do
    local log, state = KEYS[k], KEYS[k + 1]
    local span, interval = tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2])
    local place = 'w:' .. tenant
    if wait == 0 then
      local seq = redis.call('HINCRBY', state, 'seq', 1)
      redis.call('ZADD', log, now, now .. ':' .. seq)
      local tat = tonumber(redis.call('HGET', state, 'tat')) or 0
      redis.call('HSET', state, 'tat', math.max(tat, now) + interval)
      redis.call('HDEL', state, place)
    elseif k + 1 == waitsIn then
      local held = redis.call('HGET', state, place)
      local since = held and tonumber(string.match(held, '^([%d.]+):')) or now
      redis.call('HSET', state, place, since .. ':' .. (now + math.ceil(wait) + grace))
    end
    local paused = tonumber(redis.call('HGET', state, 'paused')) or 0
    local ttl = math.ceil(math.max(span * 2, paused - now + span, wait + grace + 1000))
    redis.call('PEXPIRE', log, ttl)
    redis.call('PEXPIRE', state, ttl)
    k = k + 2
    a = a + 4
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
