import { describe, expect, it } from 'vitest';
import { gatewayUserAgent } from './user-agent.ts';

describe('gatewayUserAgent', () => {
  it('names the gateway and the SDK with their versions', () => {
    expect(gatewayUserAgent()).toMatch(/^workos-graphql-gateway\/\d+\.\d+\.\d+ workos-node\/\d+\.\d+\.\d+$/);
  });

  it('appends the application’s suffix', () => {
    expect(gatewayUserAgent('acme-admin/2.3')).toMatch(/ workos-node\/\S+ acme-admin\/2\.3$/);
  });
});
