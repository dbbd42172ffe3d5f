import type { ExecutionResult } from 'graphql';
import { createGraphQLError, isAsyncIterable, type Plugin } from 'graphql-yoga';

/** The last message of every subscription open when the server stops; `complete` follows it. */
export const SHUTTING_DOWN_MESSAGE = 'The server is shutting down; subscribe again.';

/**
 * The open subscriptions: counted (the gauge of /metrics), and ended on shutdown with a final
 * error payload (code SHUTTING_DOWN) so clients know to reconnect rather than wait.
 */
export class OpenSubscriptions {
  private readonly open = new Set<() => void>();

  constructor(private readonly counter?: { subscriptionOpened(): void; subscriptionClosed(): void }) {}

  get size(): number {
    return this.open.size;
  }

  /** Ends every open subscription with the final message. */
  endAll(): void {
    for (const end of [...this.open]) end();
  }

  /**
   * The stream, wrapped by hand rather than as an async generator: a generator waiting for the
   * next event could not be returned from when the client leaves.
   */
  track(source: AsyncIterable<ExecutionResult>): AsyncIterableIterator<ExecutionResult> {
    const inner = source[Symbol.asyncIterator]();
    let wake: (value: 'end') => void = () => undefined;
    const ended = new Promise<'end'>((resolve) => (wake = resolve));
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      this.open.delete(end);
      this.counter?.subscriptionClosed();
    };
    const end = () => wake('end');
    this.open.add(end);
    this.counter?.subscriptionOpened();
    const done = (): IteratorResult<ExecutionResult> => ({ done: true, value: undefined });
    return {
      [Symbol.asyncIterator]() {
        return this;
      },
      async next() {
        if (finished) return done();
        const next = await Promise.race([inner.next(), ended]);
        if (next === 'end') {
          finish();
          void Promise.resolve(inner.return?.()).catch(() => undefined);
          return { done: false, value: { errors: [createGraphQLError(SHUTTING_DOWN_MESSAGE, { extensions: { code: 'SHUTTING_DOWN' } })] } };
        }
        if (next.done) finish();
        return next;
      },
      async return() {
        finish();
        await inner.return?.();
        return done();
      },
      async throw(error: unknown) {
        finish();
        if (inner.throw) return inner.throw(error);
        throw error;
      },
    };
  }
}

export function useSubscriptionLifecycle(subscriptions: OpenSubscriptions): Plugin {
  return {
    onSubscribe() {
      return {
        onSubscribeResult({ result, setResult }) {
          if (isAsyncIterable(result)) setResult(subscriptions.track(result));
        },
      };
    },
  };
}
