/**
 * Turns an upstream URL path into its route template ("GET /organizations/:id"), so counters
 * group calls by endpoint rather than by object.
 */
const ID_SEGMENT = /^[a-z_]+_[0-9A-HJKMNP-TV-Z]{26}$/;

export function routeOf(method: string, path: string): string {
  const segments = path
    .split('?')[0]
    .split('/')
    .map((segment) => (ID_SEGMENT.test(segment) ? ':id' : segment));
  // /organizations/external_id/<anything> and /users/external_id/<anything>
  const externalAt = segments.indexOf('external_id');
  if (externalAt >= 0 && segments.length > externalAt + 1) segments[externalAt + 1] = ':external_id';
  return `${method.toUpperCase()} ${segments.join('/')}`;
}
