import type * as crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { logContextStorage, mergeLogContext } from '../context/log-context-storage';
import { ConfigError, describeValue } from '../errors';
import { createModuleLogger } from '../logger/create-module-logger';

/** Options for {@link requestContext}. */
export interface RequestContextOptions {
  /**
   * The request header that carries a caller's request id (any case). A valid id is kept, so one id
   * follows a request through several services; `false` always generates one.
   * @defaultValue `'x-request-id'`
   */
  header?: string | false;
  /**
   * Set the id as a response header (the `header` name, or `x-request-id` when `header` is false), so
   * the caller can quote it.
   * @defaultValue true
   */
  responseHeader?: boolean;
  /**
   * The longest id accepted from the header (1–1024). An id that is longer, or that has a character
   * other than letters, digits and `-_.:/+=@~`, is replaced by a generated one: a header is caller data
   * and must not break or forge log lines.
   * @defaultValue 128
   */
  maxIdLength?: number;
  /** Makes a request id when the request carries none. @defaultValue `crypto.randomUUID` */
  generateId?: () => string;
  /**
   * A module logger name for one access line per response, at INFO, with `method`, `path` (the URL
   * without its query string, which may carry secrets), `status` and `durationMs` as record attributes
   * and the message `GET /login 401 3.2ms`; `false` writes none (the default: the middleware's job is
   * the context, and most apps already have an access log).
   * @defaultValue false
   */
  accessLog?: string | false;
  /** Milliseconds on a monotonic clock, for the access line's duration. @defaultValue `performance.now` */
  clock?: () => number;
}

/** A request middleware as node:http, express and connect call it. */
export type RequestContextMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (err?: unknown) => void,
) => void;

const KNOWN_OPTIONS = ['header', 'responseHeader', 'maxIdLength', 'generateId', 'accessLog', 'clock'];
// RFC 9110 token: the characters a header name may have.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const SAFE_ID = /^[A-Za-z0-9\-_.:/+=@~]+$/;

/**
 * A request middleware for node:http-style servers (express, connect, a plain `http.createServer`
 * handler) that runs the rest of the request inside a log context `{ requestId }` (see
 * `runWithLogContext`): every record any module logger writes while the request is handled — in its
 * callbacks, promises and timers too — carries `%(requestId)s`. The id comes from the request header
 * (`x-request-id`) when it is valid, else from `generateId`; it is set on the response too. With
 * `accessLog: 'http.access'` one line per response is logged at INFO through that module logger.
 *
 * With `next` (express, connect) the context covers `next()` and everything it starts; without it,
 * the context is entered for the rest of the calling function (AsyncLocalStorage `enterWith`).
 *
 * @throws {@link ConfigError} at creation, naming the option, the value and what is allowed.
 * @example
 * ```ts
 * app.use(requestContext({ accessLog: 'http.access' }));
 * ```
 */
export function requestContext(options: RequestContextOptions = {}): RequestContextMiddleware {
  const o = checkOptions(options);
  const header =
    o.header === undefined ? 'x-request-id' : o.header === false ? false : o.header.toLowerCase();
  const responseHeader = o.responseHeader === false ? false : header === false ? 'x-request-id' : header;
  const maxIdLength = o.maxIdLength ?? 128;
  // node:crypto is loaded here, when a middleware without its own generateId is made, not at import
  // (it costs ~4 ms to load); `performance` is Node's global (importing node:perf_hooks costs too).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const generateId = o.generateId ?? (require('node:crypto') as typeof crypto).randomUUID;
  const accessLog = o.accessLog ?? false;
  const clock = o.clock ?? (() => performance.now());

  return function requestContextMiddleware(req, res, next) {
    const start = accessLog === false ? 0 : clock();
    const id = (header !== false && acceptedId(req.headers[header], maxIdLength)) || String(generateId());
    if (responseHeader !== false && !res.headersSent) res.setHeader(responseHeader, id);
    const fields = mergeLogContext('requestContext', { requestId: id });
    if (accessLog !== false) {
      let logged = false;
      const done = (): void => {
        if (logged) return;
        logged = true;
        // An EventEmitter calls its listeners in the emitter's async context, not the one they were
        // added in: the access line is written inside the request's context explicitly.
        logContextStorage.run(fields, logAccess, accessLog, req, res, clock() - start);
      };
      res.once('finish', done);
      res.once('close', done);
    }
    if (typeof next === 'function') {
      logContextStorage.run(fields, next);
    } else {
      logContextStorage.enterWith(fields);
    }
  };
}

function acceptedId(value: string | string[] | undefined, max: number): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (typeof text !== 'string') return undefined;
  const id = text.trim();
  return id.length > 0 && id.length <= max && SAFE_ID.test(id) ? id : undefined;
}

function logAccess(name: string, req: IncomingMessage, res: ServerResponse, ms: number): void {
  const method = req.method ?? '-';
  const url = (req as { originalUrl?: unknown }).originalUrl ?? req.url ?? '';
  const raw = typeof url === 'string' ? url : String(url);
  const q = raw.indexOf('?');
  const path = q === -1 ? raw : raw.slice(0, q);
  const status = res.statusCode;
  const durationMs = Math.round(ms * 1000) / 1000;
  // A response the client gave up on ('close' before 'finish') says so.
  const aborted = !res.writableFinished;
  const message = `${method} ${path} ${status} ${durationMs.toFixed(1)}ms${aborted ? ' (aborted)' : ''}`;
  // The info-object form: the attributes are keys of the info (JSON, MongoDB, %(status)s) and the
  // message is not a % template (a path may contain '%').
  createModuleLogger(name).info({
    message,
    method,
    path,
    status,
    durationMs,
    ...(aborted ? { aborted } : {}),
  });
}

function checkOptions(options: RequestContextOptions): RequestContextOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ConfigError(
      `requestContext: options ${describeValue(options)} is not allowed; use an object with ${KNOWN_OPTIONS.join(', ')}`,
    );
  }
  const problems: string[] = [];
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.includes(key))
      problems.push(`requestContext.${key}: unknown option; allowed: ${KNOWN_OPTIONS.join(', ')}`);
  }
  const { header, responseHeader, maxIdLength, generateId, accessLog, clock } = options;
  if (header !== undefined && header !== false && (typeof header !== 'string' || !HEADER_NAME.test(header)))
    problems.push(
      `requestContext.header: ${describeValue(header)} is not allowed; use a header name such as 'x-request-id', or false`,
    );
  if (responseHeader !== undefined && typeof responseHeader !== 'boolean')
    problems.push(
      `requestContext.responseHeader: ${describeValue(responseHeader)} is not allowed; use true or false`,
    );
  if (
    maxIdLength !== undefined &&
    (typeof maxIdLength !== 'number' ||
      !Number.isInteger(maxIdLength) ||
      maxIdLength < 1 ||
      maxIdLength > 1024)
  )
    problems.push(
      `requestContext.maxIdLength: ${describeValue(maxIdLength)} is not allowed; use an integer from 1 to 1024`,
    );
  if (generateId !== undefined && typeof generateId !== 'function')
    problems.push(
      `requestContext.generateId: ${describeValue(generateId)} is not allowed; use a function returning a string`,
    );
  if (accessLog !== undefined && accessLog !== false && (typeof accessLog !== 'string' || accessLog === ''))
    problems.push(
      `requestContext.accessLog: ${describeValue(accessLog)} is not allowed; use a module logger name such as 'http.access', or false`,
    );
  if (clock !== undefined && typeof clock !== 'function')
    problems.push(
      `requestContext.clock: ${describeValue(clock)} is not allowed; use a function returning milliseconds`,
    );
  if (problems.length > 0) throw new ConfigError(problems);
  return options;
}
