import { WorkOS } from '@workos-inc/node';
import type { GatewayConfig } from '../config/index.ts';
import type { UpstreamQueue } from '../transport/queue.ts';
import { keepUnprocessableDetails } from './unprocessable.ts';

/**
 * The SDK, wired to the queue. maxRetries is 0 because the queue owns retries: the SDK's own
 * would bypass the rate buckets and multiply calls. 422 answers leave their field details on
 * the way (unprocessable.ts), since the SDK's exception drops them.
 */
export function createWorkOSClient(
  config: GatewayConfig['workos'] & { apiKey: string },
  /** The queue, or a cache wrapped around its fetch. */
  queue: Pick<UpstreamQueue, 'fetch'>,
): WorkOS {
  return new WorkOS(config.apiKey, {
    apiHostname: config.apiHostname,
    https: config.https,
    port: config.apiPort,
    clientId: config.clientId,
    maxRetries: 0,
    fetchFn: keepUnprocessableDetails(queue.fetch),
  });
}
