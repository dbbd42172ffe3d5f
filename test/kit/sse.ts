export interface SseResult {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/**
 * A GraphQL subscription over server-sent events (yoga's transport), read with fetch. Collects
 * each `next` payload until `close()` or the stream ends.
 */
export function subscribe(graphqlUrl: string, token: string | null, query: string, variables?: Record<string, unknown>) {
  const abort = new AbortController();
  const results: SseResult[] = [];
  /** Every event's kind in order (`next`, `complete`). */
  const kinds: string[] = [];
  let ended = false;
  let status = 0;
  const done = (async () => {
    try {
      const res = await fetch(graphqlUrl, {
        method: 'POST',
        headers: {
          accept: 'text/event-stream',
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
        signal: abort.signal,
      });
      status = res.status;
      if (!res.body) return;
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of res.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const lines = block.split('\n');
          const kind = lines.find((l) => l.startsWith('event:'))?.slice(6).trim();
          const data = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
          if (kind) kinds.push(kind);
          if (kind === 'next' && data) results.push(JSON.parse(data) as SseResult);
        }
      }
    } catch {
      // aborted by close()
    } finally {
      ended = true;
    }
  })();
  return {
    results,
    kinds,
    get ended() {
      return ended;
    },
    get status() {
      return status;
    },
    /** Resolves once the server answered (headers sent) and has had a moment to start listening. */
    ready: async () => {
      const until = Date.now() + 5_000;
      while (status === 0 && !ended && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, 100));
    },
    close: async () => {
      abort.abort();
      await done;
    },
    done,
  };
}
