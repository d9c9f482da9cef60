import type { Format, TransformableInfo } from 'logform';
import { LEVEL, MESSAGE } from 'triple-beam';
import winston from 'winston';
import Transport from 'winston-transport';
import { levelInfo } from '../record/levels';
import { reportPythonStyle } from '../../formats/python-format';
import { getMessage } from '../record/get-message';
import { PY_RECORD, argsOf, excTextOf, mergedMessage, msgOf } from '../record/record';
import type { RecordContext } from '../record/record';
import { LINE_SINK, READS_RECORD, RENDER_LINE, SYNC_LOG } from '../record/direct-write';
import type { RenderLine } from '../record/direct-write';
import { installDefaultHandler } from './default-handler';
import { streamOf } from './module-logger';
import type { LoggerFilter, ModuleLogger } from './module-logger';
import { registry } from './registry';

/** Python's `Filterer.filter`: a function, an object with `filter()`, or a logform format (falsy drops). */
export function applyFilter(f: LoggerFilter, info: TransformableInfo): boolean {
  try {
    if (typeof f === 'function') return Boolean(f(info));
    if (typeof (f as Format).transform === 'function')
      return Boolean((f as Format).transform(info, (f as Format).options));
    return Boolean((f as { filter(info: TransformableInfo): unknown }).filter(info));
  } catch (err) {
    reportOnce(f, `a filter threw (${describe(err)}); the record was kept`);
    return true;
  }
}

const reported = new WeakSet<object>();
const DEFAULT_FORMAT = winston.format.json();

/**
 * Reports a fault of a transport, filter or format once per source on stderr, CPython's
 * `--- Logging error ---` in one line: logging never throws into the caller and never floods stderr.
 */
export function reportOnce(source: object, text: string): void {
  if (reported.has(source)) return;
  reported.add(source);
  const name = (source as { name?: unknown }).name;
  process.stderr.write(
    `winston-pylogging: --- Logging error --- ${typeof name === 'string' && name ? name : 'logging'}: ${text}\n`,
  );
}

function describe(err: unknown): string {
  try {
    return err instanceof Error ? err.message : String(err);
  } catch {
    return 'an unprintable error';
  }
}

/** Level number of a handler's `level` (a winston level name; none = NOTSET). */
function handlerLevelNo(h: Transport): number {
  const level = h.level;
  return level === undefined || level === '' ? 0 : levelInfo(level).levelno;
}

/**
 * Python's `Logger.callHandlers` for a record created by `origin`: the handlers of `origin`, then of
 * each ancestor while `propagate` holds, each handler checked against its own level and filters
 * (never the ancestors' levels or filters). Then the transports instrumentation attached to `origin`
 * alone, and what is piped from it (winston's exception/rejection streams). A record that finds no
 * handler at all installs the default console once (when nothing was configured) or goes to the last
 * resort (WARNING and above, to stderr).
 */
export function callHandlers(origin: ModuleLogger, record: TransformableInfo, levelno: number): void {
  let found = walk(origin, record, levelno);
  if (found === 0 && !registry.configured) {
    registry.configured = true;
    const root = registry.root;
    if (root !== undefined && installDefaultHandler(root)) found = walk(origin, record, levelno);
  }
  const local = origin._py.local;
  for (let i = 0; i < local.length; i++) deliver(origin, local[i] as Transport, record);
  // What is piped from the logger (winston's exception/rejection streams) or read with on('data').
  if (origin._py.stream) {
    const rs = streamOf(origin)._readableState;
    if (rs.pipesCount > 0 || rs.flowing === true) origin.push(record);
  }
  if (found === 0 && registry.lastResort && levelno >= 30) lastResort(record);
}

function walk(origin: ModuleLogger, record: TransformableInfo, levelno: number): number {
  let found = 0;
  for (let c: ModuleLogger | null = origin; c !== null;) {
    const node: ModuleLogger['_py'] = c._py;
    const handlers = node.handlers;
    for (let i = 0; i < handlers.length; i++) {
      const h = handlers[i] as Transport;
      found++;
      if (levelno >= handlerLevelNo(h)) deliver(c, h, record);
    }
    if (!node.propagate) break;
    c = node.parent;
  }
  return found;
}

/**
 * Python's handler filters (`handler.addFilter(f)`): run on the shared record before the transport
 * copies it, so an attribute a filter adds is seen by the handlers after it, as in CPython.
 */
export function addHandlerFilter(transport: Transport, filter: LoggerFilter): void {
  const t = transport as Transport & { filters?: LoggerFilter[] };
  if (t.filters === undefined) {
    Object.defineProperty(t, 'filters', { value: [], enumerable: false, writable: true, configurable: true });
  }
  if (!t.filters!.includes(filter)) t.filters!.push(filter);
}

function deliver(owner: ModuleLogger, h: Transport, record: TransformableInfo): void {
  const filters = (h as Transport & { filters?: LoggerFilter[] }).filters;
  if (filters !== undefined) for (const f of filters) if (!applyFilter(f, record)) return;
  // winston-transport is a readable-stream v3 Writable: it has no `writableEnded`, only the state object.
  const state = (h as unknown as { _writableState?: { ended?: boolean; destroyed?: boolean } })
    ._writableState;
  if (state?.ended === true || state?.destroyed === true || h.destroyed) {
    reportOnce(h, `a record for logger "${owner.name}" reached a transport that was already closed`);
    return;
  }
  // A transport without a format of its own renders winston's default json(), as it would on a winston
  // logger, unless a format before it already rendered the record or the transport reads the record
  // itself (READS_RECORD).
  if (
    h.format === undefined &&
    (record as Record<symbol, unknown>)[MESSAGE] === undefined &&
    (h as unknown as Record<symbol, unknown>)[READS_RECORD] !== true
  ) {
    DEFAULT_FORMAT.transform(record, DEFAULT_FORMAT.options);
  }
  // An Error logged alone is the info itself (winston's rule), and a transport with a format of its own
  // runs it on `Object.assign({}, info)`, which loses the Error's message and stack (not enumerable): a
  // transport-level `format.errors()` or `printf()` printed `undefined` (winston #1880). Such a transport
  // gets a copy where they are plain fields.
  try {
    const info = record instanceof Error && h.format !== undefined ? errorFields(record) : record;
    if ((h as unknown as Record<symbol, unknown>)[SYNC_LOG] !== true || !writeDirect(h, info)) h.write(info);
  } catch (err) {
    reportOnce(h, describe(err));
  }
}

// The Error info's own fields (its symbols too: the level and the record context), with its message, stack and
// cause as ordinary fields in front, as `format.errors({ stack: true })` lays them out at logger level.
function errorFields(err: Error & TransformableInfo): TransformableInfo {
  const out: Record<string | symbol, unknown> = { message: err.message };
  if (err.stack !== undefined) out.stack = err.stack;
  if (err.cause !== undefined) out.cause = err.cause;
  return Object.assign(out, err);
}

type DirectTransport = Transport & {
  _writableState: { length: number; corked: number; writing: boolean; errorEmitted: boolean };
  _write: unknown;
  parent?: { level?: string };
  levels: Record<string, number>;
  [LINE_SINK]?: () => ((line: string) => void) | undefined;
};
// Compared by identity only (never called detached): a transport whose write/_write was replaced keeps the stream.
const TRANSPORT_PROTO = Transport.prototype as unknown as Record<'write' | '_write', unknown>;
const STREAM_WRITE = TRANSPORT_PROTO.write;
const TRANSPORT_WRITE = TRANSPORT_PROTO._write;
const NOOP = (): void => {};

/**
 * What winston-transport's `_write` does with a record, called in place of the stream's `write()` for
 * one of the bundle's synchronous transports ({@link SYNC_LOG}): the same checks in the same order, the
 * format on a copy of the info — or, when the format can render without writing into the info
 * ({@link RENDER_LINE}) and the transport stores nothing but that line ({@link LINE_SINK}), no copy at
 * all. Skipping the stream saves its bookkeeping and a `nextTick` per record and per transport, and is
 * unobservable because `log()` finishes before returning. Returns false (take the stream path) when the
 * transport's `write`/`_write` was replaced, or the stream holds buffered writes that must come first.
 */
function writeDirect(t: Transport, record: TransformableInfo): boolean {
  const h = t as DirectTransport;
  if (h.write !== STREAM_WRITE || h._write !== TRANSPORT_WRITE) return false;
  const state = h._writableState;
  if (state.length !== 0 || state.corked !== 0 || state.writing || state.errorEmitted) return false;
  if (h.silent || ((record as { exception?: unknown }).exception === true && !h.handleExceptions))
    return true;
  const level = h.level || h.parent?.level;
  const levels = h.levels;
  if (level && !(levels[level]! >= levels[(record as Record<symbol, string>)[LEVEL] as string]!)) return true;
  const fmt = h.format;
  if (!fmt) {
    h.log!(record, NOOP);
    return true;
  }
  const render = (fmt as Format & { [RENDER_LINE]?: RenderLine })[RENDER_LINE];
  const sink = render !== undefined ? h[LINE_SINK]?.() : undefined;
  if (sink !== undefined) {
    const line = render!(record);
    if (line === false) return true;
    if (line !== undefined) {
      sink(line);
      return true;
    }
  }
  const transformed = fmt.transform(Object.assign({}, record), fmt.options);
  if (transformed) h.log!(transformed, NOOP);
  return true;
}

/**
 * Python's `logging.lastResort`: the bare message (and traceback) on stderr. In compatibility mode a
 * record whose `msg % args` fails is dropped with CPython's `--- Logging error ---` report, as CPython's
 * lastResort handler drops it; otherwise it is kept, as everywhere in the bundle.
 */
function lastResort(info: TransformableInfo): void {
  const ctx = (info as { [PY_RECORD]?: RecordContext })[PY_RECORD];
  if (ctx === undefined) return;
  if (registry.pythonCompat) {
    try {
      getMessage(msgOf(info, ctx), argsOf(info, ctx));
    } catch (err) {
      reportPythonStyle(err, msgOf(info, ctx));
      return;
    }
  }
  let line = mergedMessage(info, ctx);
  const exc = excTextOf(ctx, info);
  if (exc) line += (line.endsWith('\n') ? '' : '\n') + exc;
  process.stderr.write(line + '\n');
}

/** Whether any logger of the tree other than `except` still has the transport as a handler. */
export function usedElsewhere(t: Transport, except?: ModuleLogger): boolean {
  for (const logger of registry.loggers.values()) {
    if (logger !== except && logger._py.handlers.includes(t)) return true;
  }
  return registry.root !== undefined && registry.root !== except && registry.root._py.handlers.includes(t);
}
