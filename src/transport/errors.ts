/** Raised when a call cannot be sent within its request's time budget. */
export class UpstreamDeadlineError extends Error {
  override name = 'UpstreamDeadlineError';
  constructor(readonly retryAfterSeconds: number) {
    super('The upstream budget for this request ran out before the call could be sent.');
  }
}

/** Raised when the client went away before the call was sent. */
export class UpstreamAbortedError extends Error {
  override name = 'UpstreamAbortedError';
  constructor() {
    super('The request was cancelled.');
  }
}

/** Waits `ms`, or rejects with UpstreamAbortedError as soon as `signal` aborts. */
export const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(new UpstreamAbortedError());
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new UpstreamAbortedError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
