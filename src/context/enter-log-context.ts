import { logContextStorage, mergeLogContext } from './log-context-storage';
import type { LogContextFields } from './log-context-storage';

/**
 * Adds `fields` to the log context for the rest of the current async execution (AsyncLocalStorage's
 * `enterWith`): the current synchronous code and everything it starts from here on, merged with the
 * context already active (the new fields win). Prefer {@link runWithLogContext}, whose scope is
 * explicit; this one is for hooks that cannot wrap the code after them (a framework's `onRequest`).
 * Entered at the top level of a module, the fields stay for the whole process.
 *
 * @throws {@link ConfigError} when `fields` is not a plain object or sets a LogRecord attribute.
 */
export function enterLogContext(fields: LogContextFields): void {
  logContextStorage.enterWith(mergeLogContext('enterLogContext', fields));
}
