import type { Format, TransformableInfo } from 'logform';
import { MESSAGE } from 'triple-beam';
import winston from 'winston';
import type Transport from 'winston-transport';
import { levelInfo } from '../record/levels';
import { reportPythonStyle } from '../../formats/python-format';
import { getMessage } from '../record/get-message';
import { PY_RECORD, argsOf, excTextOf, mergedMessage, msgOf } from '../record/record';
import type { RecordContext } from '../record/record';
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
  // logger, unless a format before it already rendered the record.
  if (h.format === undefined && (record as Record<symbol, unknown>)[MESSAGE] === undefined) {
    DEFAULT_FORMAT.transform(record, DEFAULT_FORMAT.options);
  }
  try {
    h.write(record);
  } catch (err) {
    reportOnce(h, describe(err));
  }
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
