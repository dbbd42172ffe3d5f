import { createRequire } from 'node:module';
import type { Writable } from 'node:stream';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { ObservabilityConfig } from '../config/observability.ts';
import { isCoercionMessage, REDACTED, scrub, withoutEchoedValue } from './redact.ts';
import { currentRecord } from './request-record.ts';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** Where lines go; stdout unless a test captures them. */
  stream?: Writable;
  /** The gateway's own secrets (API key, webhook secret, metrics token): cut from every line. */
  secrets: string[];
  nodeEnv: 'development' | 'production' | 'test';
}

/**
 * The gateway's logger: pino, one JSON object per line (pretty in a development terminal when
 * pino-pretty, a development dependency, is installed). Every line passes a scrubber that cuts
 * the gateway's secrets and the current request's secret values out before it is written.
 */
export function createLogger(config: ObservabilityConfig['log'], options: LoggerOptions): Logger {
  const target = options.stream ?? process.stdout;
  const out = prettyStream(config.format, options.nodeEnv, target) ?? target;
  const destination: DestinationStream = {
    write: (line: string) => {
      const request = currentRecord();
      out.write(scrub(line, request ? [...options.secrets, ...request.secrets] : options.secrets));
    },
  };
  return pino(
    {
      level: config.level,
      base: { service: 'workos-graphql-gateway' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: serializeError },
      redact: { paths: ['password', 'token', 'refreshToken', 'variables', 'headers.authorization', 'headers.cookie'], censor: REDACTED },
    },
    destination,
  );
}

/** pino-pretty in a development terminal (or when LOG_FORMAT=pretty); undefined: JSON. */
function prettyStream(format: ObservabilityConfig['log']['format'], nodeEnv: string, destination: Writable): Writable | undefined {
  const terminal = destination === process.stdout && process.stdout.isTTY === true;
  const wanted = format === 'pretty' || (format === 'auto' && nodeEnv === 'development' && terminal);
  if (!wanted) return undefined;
  try {
    // A development dependency: absent from a production install, where lines stay JSON.
    const pretty = createRequire(import.meta.url)('pino-pretty') as (options: Record<string, unknown>) => Writable;
    return pretty({ destination, sync: true, colorize: terminal, singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' });
  } catch {
    return undefined;
  }
}

/** An error as a log field: name, code, message and stack, with GraphQL's echoed variable values cut. */
export function serializeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const clean = (text: string | undefined) => (text === undefined ? undefined : isCoercionMessage(text) ? withoutEchoedValue(text) : text);
  const message = clean(error.message) ?? '';
  const stack = error.stack?.replace(error.message, message);
  const code = codeOf(error);
  const cause = (error as { originalError?: unknown }).originalError ?? error.cause;
  return {
    type: error.name,
    message,
    ...(typeof code === 'string' ? { code } : {}),
    stack,
    ...(cause instanceof Error && cause !== error ? { cause: serializeError(cause) } : {}),
  };
}

type YogaLevel = 'debug' | 'info' | 'warn' | 'error';

/** Errors a client caused: the request line already names them, so yoga's report of them is debug. */
const CLIENT_CODES = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_USER_INPUT', 'CONFLICT', 'RATE_LIMITED', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'PERSISTED_QUERY_NOT_FOUND']);

function codeOf(error: Error): unknown {
  return (error as { code?: unknown }).code ?? (error as { extensions?: { code?: unknown } }).extensions?.code;
}

/** Yoga's logger interface, backed by pino: errors as `err`, other arguments joined into the message. */
export function yogaLogger(logger: Logger): Record<YogaLevel, (...args: unknown[]) => void> {
  const at = (wanted: YogaLevel) => (...args: unknown[]) => {
    const error = args.find((a): a is Error => a instanceof Error);
    const level: YogaLevel = error && CLIENT_CODES.has(String(codeOf(error))) ? 'debug' : wanted;
    if (!logger.isLevelEnabled(level)) return;
    const text = args
      .filter((a) => !(a instanceof Error))
      .map((a) => (typeof a === 'string' ? a : safeJson(a)))
      .join(' ');
    if (error) logger[level]({ err: error, source: 'yoga' }, text || String(serializeError(error).message));
    else logger[level]({ source: 'yoga' }, text);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
