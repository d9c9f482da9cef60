import { logContextStorage } from './log-context-storage';

/**
 * The fields of the active log context (frozen), or undefined outside any context.
 *
 * @example
 * ```ts
 * runWithLogContext({ requestId: 'r-1' }, () => getLogContext()); // { requestId: 'r-1' }
 * ```
 */
export function getLogContext(): Readonly<Record<string, unknown>> | undefined {
  return logContextStorage.getStore();
}
