import { ConfigError, describeValue } from '../errors';
import { logContextStorage, mergeLogContext } from './log-context-storage';
import type { LogContextFields } from './log-context-storage';

/**
 * Runs `fn` inside a log context: every record logged by a module logger while `fn` runs — and in
 * everything it starts (promises, timers, I/O callbacks) — carries `fields` as record attributes
 * (`%(requestId)s` in `pythonFormat`, keys of the JSON line, MongoDB fields). Contexts nest: an inner
 * context sees the outer one's fields, and its own win. Returns what `fn` returns (its promise, for an
 * async `fn`). Not carried: into worker threads (each has its own storage) and into EventEmitter
 * listeners, which run in the context of the `emit` call.
 *
 * @throws {@link ConfigError} when `fields` is not a plain object, sets a LogRecord attribute
 *   (`name`, `msg`, `levelname`, …) or `level`, or `fn` is not a function.
 * @example
 * ```ts
 * await runWithLogContext({ requestId: 'r-1' }, async () => log.info('handled'));
 * ```
 */
export function runWithLogContext<T>(fields: LogContextFields, fn: () => T): T {
  if (typeof fn !== 'function') {
    throw new ConfigError(`runWithLogContext: fn ${describeValue(fn)} is not allowed; use a function`);
  }
  return logContextStorage.run(mergeLogContext('runWithLogContext', fields), fn);
}
