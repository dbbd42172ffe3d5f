import { createGraphQLError, isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Caller } from '../auth/caller.ts';

/** Who holds the streams: a user (whatever session or token), or one service token. */
const holderOf = (caller: Caller | undefined): string | undefined => {
  if (caller?.kind === 'user') return `user:${caller.userId}`;
  if (caller?.kind === 'service') return `service:${caller.fingerprint}`;
  return undefined;
};

/**
 * At most `max` open subscriptions per caller: each stream holds a connection and reads
 * WorkOS for every event, so one token must not open them without bound. A stream counts from
 * its start until it ends (completes, fails or the client goes away).
 */
export function useSubscriptionLimit(max: number): Plugin {
  const open = new Map<string, number>();
  const release = (holder: string) => {
    const left = (open.get(holder) ?? 1) - 1;
    if (left > 0) open.set(holder, left);
    else open.delete(holder);
  };
  return {
    onSubscribe({ args, setResultAndStopExecution }) {
      const holder = holderOf((args.contextValue as { caller?: Caller }).caller);
      // Anonymous callers are refused by the schema's scopes.
      if (!holder) return;
      if ((open.get(holder) ?? 0) >= max) {
        setResultAndStopExecution({
          errors: [
            createGraphQLError(`At most ${max} open subscriptions per caller; close one before opening another.`, {
              extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' },
            }),
          ],
        });
        return;
      }
      open.set(holder, (open.get(holder) ?? 0) + 1);
      let released = false;
      const once = () => {
        if (released) return;
        released = true;
        release(holder);
      };
      return {
        onSubscribeResult: ({ result }) => {
          if (!isAsyncIterable(result)) {
            once();
            return;
          }
          return { onEnd: once };
        },
        onSubscribeError: once,
      };
    },
  };
}
