import { createParser } from 'eventsource-parser';

/**
 * Reads a GraphQL over SSE stream (the "distinct connections" mode the gateway serves):
 * `next` events carry a result as JSON, `complete` ends the stream. `onNext` returns false
 * to stop reading. Resolves when the stream ends, is completed or `signal` aborts.
 */
export async function readGraphQLEvents(response: Response, signal: AbortSignal, onNext: (payload: unknown) => boolean): Promise<void> {
  if (!response.body) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let done = false;
  const parser = createParser({
    onEvent: (event) => {
      if (done) return;
      if (event.event === 'complete') done = true;
      else if (event.event === 'next' && event.data) done = !onNext(JSON.parse(event.data));
    },
  });
  const stop = () => void reader.cancel().catch(() => undefined);
  signal.addEventListener('abort', stop, { once: true });
  try {
    while (!done && !signal.aborted) {
      const chunk = await reader.read();
      if (chunk.done) break;
      parser.feed(chunk.value);
    }
  } finally {
    signal.removeEventListener('abort', stop);
    if (done) stop();
  }
}
