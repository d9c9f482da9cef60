import type Transport from 'winston-transport';
import { getRootLogger } from '../logger/create-module-logger';
import { registry } from '../logger/registry';
import { flushSync, shutdown } from './shutdown';

/** Options for {@link installExitHandlers}. */
export interface ExitHandlersOptions {
  /**
   * Signals after which the logs are flushed before the process ends (with the signal's usual exit,
   * unless the app listens for that signal itself).
   * @defaultValue ['SIGINT', 'SIGTERM']
   */
  signals?: readonly NodeJS.Signals[];
  /**
   * Log uncaught exceptions and unhandled rejections at CRITICAL, with their traceback, through the
   * configured handlers, flush, and exit with code 1 (Node's own behaviour, minus the lost logs).
   * @defaultValue true
   */
  uncaught?: boolean;
  /**
   * Make `process.exit()` wait for {@link shutdown} (up to `timeoutMs`) before exiting, so that
   * asynchronous transports (MongoDB) deliver too. Without it, `process.exit()` still writes what file
   * transports hold, synchronously, in the `'exit'` event. Note: with it, code after a
   * `process.exit()` call keeps running until the flush is done.
   * @defaultValue false
   */
  deferExit?: boolean;
  /**
   * Longest wait for the flush, in milliseconds.
   * @defaultValue 5000
   */
  timeoutMs?: number;
}

let uninstallCurrent: (() => void) | undefined;

/** True when a handler of the logger tree writes to stderr (a console/stream handler on process.stderr). */
function reachesStderr(): boolean {
  const loggers = [...registry.loggers.values()];
  if (registry.root !== undefined) loggers.push(registry.root);
  return loggers.some((l) =>
    l.handlers.some((t: Transport) => {
      const stream = (t as { _stream?: unknown })._stream;
      return stream === process.stderr || t.constructor.name === 'Console';
    }),
  );
}

/**
 * Exit handling beyond the default. Without calling this, the bundle already behaves like Python's
 * `atexit` `logging.shutdown` (winston #228): every file transport writes what it accepted in
 * `process.on('exit')` (after `process.exit()`, an uncaught exception or the natural end), and at the
 * natural end a MongoDB transport delivers for up to its `closeTimeoutMs`. This adds: SIGINT and SIGTERM
 * flush before the process ends; uncaught exceptions and unhandled rejections are logged at CRITICAL
 * with their traceback (also printed on stderr when no handler writes there) before exit code 1; and,
 * with `deferExit`, `process.exit()` waits for asynchronous transports (MongoDB).
 * Returns a function that removes every hook. Installing again replaces the previous hooks.
 *
 * @example installExitHandlers({ deferExit: true, timeoutMs: 3000 });
 */
export function installExitHandlers(options: ExitHandlersOptions = {}): () => void {
  uninstallCurrent?.();
  const timeoutMs = options.timeoutMs ?? 5000;
  const signals = options.signals ?? ['SIGINT', 'SIGTERM'];
  const uncaught = options.uncaught ?? true;
  const originalExit = process.exit.bind(process);
  let flushed = false;

  const onBeforeExit = (): void => {
    if (flushed) return;
    flushed = true;
    void shutdown({ timeoutMs });
  };
  const onExit = (): void => flushSync();

  const signalHandlers = new Map<NodeJS.Signals, () => void>();
  for (const signal of signals) {
    const handler = (): void => {
      void shutdown({ timeoutMs }).finally(() => {
        // When nothing else listens, do what Node would have done: end the process by that signal.
        if (process.listenerCount(signal) === 1) {
          process.removeListener(signal, handler);
          process.kill(process.pid, signal);
        }
      });
    };
    signalHandlers.set(signal, handler);
    process.on(signal, handler);
  }

  const fatal = (what: string) => (reason: unknown) => {
    const error = reason instanceof Error ? reason : new Error(String(reason));
    try {
      // Node prints the traceback itself only when nobody listens; now that this listener does, make sure
      // it still reaches stderr when no handler writes there (a file-only configuration).
      if (!reachesStderr()) process.stderr.write(`${what}: ${error.stack ?? String(error)}\n`);
      getRootLogger().critical(what, error);
    } finally {
      void shutdown({ timeoutMs }).finally(() => originalExit(1));
    }
  };
  const onUncaught = fatal('Uncaught exception');
  const onRejection = fatal('Unhandled rejection');

  process.on('beforeExit', onBeforeExit);
  process.on('exit', onExit);
  if (uncaught) {
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onRejection);
  }
  let exiting = false;
  if (options.deferExit === true) {
    process.exit = (code?: number | string | null) => {
      if (exiting) return originalExit(code ?? undefined);
      exiting = true;
      if (code !== undefined && code !== null) process.exitCode = code;
      void shutdown({ timeoutMs }).finally(() => originalExit(code ?? undefined));
      return undefined as never;
    };
  }

  const uninstall = (): void => {
    process.removeListener('beforeExit', onBeforeExit);
    process.removeListener('exit', onExit);
    process.removeListener('uncaughtException', onUncaught);
    process.removeListener('unhandledRejection', onRejection);
    for (const [signal, handler] of signalHandlers) process.removeListener(signal, handler);
    if (options.deferExit === true) process.exit = originalExit;
    if (uninstallCurrent === uninstall) uninstallCurrent = undefined;
  };
  uninstallCurrent = uninstall;
  return uninstall;
}
