import { renderGraphiQL, type GraphiQLOptions } from 'graphql-yoga';
import { CSRF_HEADERS } from '../auth/cookie-session.ts';
import { GRAPHIQL_ASSETS_PATH } from './use-graphiql-assets.ts';

/** Yoga's GraphiQL options: the gateway's title, a first query that reads a whole screen, the CSRF header. */
export const graphiqlOptions = (): GraphiQLOptions => ({
  title: 'WorkOS GraphQL Gateway',
  defaultQuery: DEFAULT_QUERY,
  // The gateway's own page: its requests may use the session cookie (cookie sessions ask for this header).
  additionalHeaders: { [CSRF_HEADERS[0]]: '1' },
});

/** Yoga's page, pointed at the assets the gateway serves itself (see use-graphiql-assets.ts). */
export function renderLocalGraphiQL(options: GraphiQLOptions): string {
  return renderGraphiQL(options)
    .replace('Loading __TITLE__', 'Loading GraphiQL')
    .replace(/<link rel=icon[^>]*>/, '')
    .replace(/https:\/\/unpkg\.com\/@graphql-yoga\/graphiql@[^/]+\/dist\//g, GRAPHIQL_ASSETS_PATH)
    // Yoga's GraphiQL 5 page ignores `defaultQuery` (it always opens its own welcome text); pass
    // it as `query`, after a shared link's `?query=`, which `query` alone would override.
    .replace('"defaultQuery":', '"query":new URLSearchParams(location.search).get("query")||');
}

const DEFAULT_QUERY = `# Welcome to the WorkOS GraphQL gateway.
# One query can read a whole screen: an organization, its members, their roles,
# and each member's other organizations.

query OrganizationsWithMembers {
  organizations(first: 5) {
    edges {
      node {
        id
        name
        domains { domain state }
        memberships(first: 5) {
          edges {
            node {
              role { slug }
              user { email name }
            }
          }
        }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`;
