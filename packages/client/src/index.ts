'use client';
/**
 * `@workos-graphql-gateway/client`: everything in `./documents`, plus the React provider, the
 * generic hooks and one hook per shipped operation (schema/operations/*.graphql, `npm run
 * codegen`). Needs react and @tanstack/react-query.
 */
export * from './documents.ts';
export * from './react.ts';
export * from './generated/hooks.ts';
