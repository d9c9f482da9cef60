import type Transport from 'winston-transport';
import { registry } from '../logger/registry';
import { liveTransports, unregisterTransport } from '../../transports/shared/transport-registry';

/** Options for {@link shutdown}. */
export interface ShutdownOptions {
  /**
   * How long to wait for every transport to deliver what it accepted, in milliseconds.
   * @defaultValue 10000
   */
  timeoutMs?: number;
}

/** What {@link shutdown} could not deliver. */
export interface ShutdownReport {
  /** How many distinct transports were flushed and closed. */
  transports: number;
  /** True when every accepted record reached its destination before the timeout. */
  delivered: boolean;
  /** One entry per transport that did not finish: its name, records still pending (when known), the reason. */
  undelivered: Array<{ transport: string; pending?: number; reason: string }>;
}

type Flushable = Transport & {
  flush?: (timeoutMs?: number) => Promise<unknown>;
  flushSync?: () => void;
  /** Asynchronous bundle transports: deliver until the timeout, then stop, abandon and report the rest. */
  closeWithin?: (timeoutMs: number) => Promise<{ pending: number }>;
  name?: string;
};

let running: Promise<ShutdownReport> | undefined;

/** How long a transport that stopped at the deadline may take to release its connections. */
const CLOSE_GRACE_MS = 1500;

// The module loggers' handlers (whatever their class) plus every live transport the bundle created,
// wherever it is attached (a plain winston logger included). Uses only registry.root, registry.loggers
// and logger.handlers from the logger core.
function allTransports(): Flushable[] {
  const set = new Set<Flushable>();
  if (registry.root !== undefined) for (const t of registry.root.handlers) set.add(t);
  for (const logger of registry.loggers.values()) for (const t of logger.handlers) set.add(t);
  for (const t of liveTransports()) set.add(t);
  return [...set];
}

function label(t: Flushable): string {
  return typeof t.name === 'string' && t.name ? t.name : t.constructor.name;
}

function pendingOf(result: unknown): number | undefined {
  if (
    result !== null &&
    typeof result === 'object' &&
    typeof (result as { pending?: unknown }).pending === 'number'
  ) {
    return (result as { pending: number }).pending;
  }
  return undefined;
}

async function closeOne(
  t: Flushable,
  deadline: number,
): Promise<ShutdownReport['undelivered'][number] | undefined> {
  const left = () => Math.max(0, deadline - Date.now());
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), left());
    timer.unref?.();
  });
  let ending: Promise<'timeout'> = timeout;
  try {
    if (typeof t.closeWithin === 'function') {
      // It stops itself at the deadline and reports what it abandoned; releasing its connections after
      // that takes up to CLOSE_GRACE_MS more, which is waited for so that the pending count is known.
      const grace = new Promise<'timeout'>((resolve) => {
        const g = setTimeout(() => resolve('timeout'), left() + CLOSE_GRACE_MS);
        g.unref();
      });
      ending = grace;
      const closed = await Promise.race([t.closeWithin(left()), grace]);
      const pending = closed === 'timeout' ? undefined : closed.pending;
      if (closed === 'timeout')
        return { transport: label(t), reason: `close did not finish within the timeout` };
      if (pending !== undefined && pending > 0) {
        return {
          transport: label(t),
          pending,
          reason: `${pending} record(s) were not delivered; abandoned at the timeout`,
        };
      }
    } else if (typeof t.flush === 'function') {
      const flushed = await Promise.race([t.flush(left()), timeout]);
      if (flushed === 'timeout')
        return { transport: label(t), reason: `flush did not finish within the timeout` };
      const pending = pendingOf(flushed);
      if (pending !== undefined && pending > 0) {
        return { transport: label(t), pending, reason: `${pending} record(s) were not delivered` };
      }
    }
    if (!t.writableFinished && !t.destroyed) {
      const finished = new Promise<'done'>((resolve) => {
        t.once('finish', () => resolve('done'));
        t.once('close', () => resolve('done'));
      });
      if (!t.writableEnded) t.end();
      const outcome = await Promise.race([finished, ending]);
      if (outcome === 'timeout') return { transport: label(t), reason: `did not finish within the timeout` };
    }
    return undefined;
  } catch (err) {
    return { transport: label(t), reason: err instanceof Error ? err.message : String(err) };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    unregisterTransport(t);
  }
}

/**
 * Python's `logging.shutdown()`: flushes and closes every transport of every module logger and every
 * transport of this bundle wherever it is attached (plain winston loggers included), and resolves when
 * all accepted records are on disk or in the database, or when the timeout passes. At the timeout an
 * asynchronous transport (MongoDB) stops: what it still holds is abandoned, reported on stderr and in
 * the result, and nothing of it keeps the process alive. Transports are detached from their loggers,
 * so records logged afterwards reach Python's last resort (WARNING and above on stderr) instead of a
 * closed transport. Calling it again while it runs returns the same promise; calling it afterwards
 * closes whatever was added since.
 *
 * @example
 * ```ts
 * const report = await shutdown({ timeoutMs: 5000 });
 * if (!report.delivered) console.error(report.undelivered);
 * ```
 */
export function shutdown(options: ShutdownOptions = {}): Promise<ShutdownReport> {
  if (running !== undefined) return running;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const transports = allTransports();
  const deadline = Date.now() + timeoutMs;
  running = Promise.all(transports.map((t) => closeOne(t, deadline))).then((results) => {
    for (const logger of registry.loggers.values()) logger.clear();
    registry.root?.clear();
    registry.configured = true;
    const undelivered = results.filter((r): r is NonNullable<typeof r> => r !== undefined);
    running = undefined;
    return { transports: transports.length, delivered: undelivered.length === 0, undelivered };
  });
  return running;
}

/**
 * Last-chance synchronous flush for the `'exit'` event, where nothing asynchronous can run: every
 * transport that offers `flushSync()` writes what it still holds.
 */
export function flushSync(): void {
  for (const t of allTransports()) {
    try {
      t.flushSync?.();
    } catch {
      // Exiting: nothing left to report to.
    }
  }
}
