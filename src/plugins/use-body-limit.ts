import { createGraphQLError, type Plugin } from 'graphql-yoga';

/** Refuses request bodies above the limit before they are read. */
export function useBodyLimit(maxBytes: number): Plugin {
  const refuse = (status: number, message: string) =>
    createGraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status } } });
  return {
    onRequestParse({ request }) {
      if (request.method !== 'POST') return;
      const length = request.headers.get('content-length');
      if (length === null) {
        // A streamed body has no declared size to check up front; GraphQL clients always send one.
        if (request.headers.has('transfer-encoding')) throw refuse(411, 'Send the request body with a Content-Length.');
        return;
      }
      if (Number(length) > maxBytes) throw refuse(413, `The request body is larger than ${maxBytes} bytes.`);
    },
  };
}
