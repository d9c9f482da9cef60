import { AsyncLocalStorage } from 'node:async_hooks';
import { ConfigError, describeValue } from '../errors';
import { LOG_RECORD_ATTRIBUTES, isPlainObject } from '../record/record';

/** The fields of a log context: record attributes every record logged inside it carries (`%(requestId)s`). */
export type LogContextFields = Readonly<Record<string, unknown>>;

/**
 * @internal The one store of log contexts. Node's AsyncLocalStorage follows the async execution
 * (promises, timers, I/O callbacks started inside it); an EventEmitter's listeners run in the context
 * of the `emit` call, and worker threads start with none.
 * Each store is a frozen object: one store is shared by every continuation of the context, so nobody
 * may change it in place.
 */
export const logContextStorage = new AsyncLocalStorage<LogContextFields>();

// Keys a context may not set: winston's info plumbing and CPython's LogRecord attributes (Python's
// `extra` refuses those with "Attempt to overwrite"); a context field there could never show.
const FORBIDDEN: ReadonlySet<string> = new Set([...LOG_RECORD_ATTRIBUTES, 'level', 'splat', 'extra']);

/**
 * @internal The store of a new context: the current one's fields with `fields` over them, frozen.
 * Throws a {@link ConfigError} naming the caller, the key and the value when `fields` is not a plain
 * object or sets a reserved key.
 */
export function mergeLogContext(caller: string, fields: unknown): LogContextFields {
  if (!isPlainObject(fields)) {
    throw new ConfigError(
      `${caller}: fields ${describeValue(fields)} is not allowed; use a plain object of field values ({ requestId: 'abc' })`,
    );
  }
  for (const key of Object.keys(fields)) {
    if (FORBIDDEN.has(key)) {
      throw new ConfigError(
        `${caller}: field ${JSON.stringify(key)} is not allowed: it is a LogRecord attribute or winston key that a context cannot set; use another name (for example ${JSON.stringify(`ctx_${key}`)})`,
      );
    }
  }
  const current = logContextStorage.getStore();
  return Object.freeze(current === undefined ? { ...fields } : { ...current, ...fields });
}
