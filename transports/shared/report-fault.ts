import type { EventEmitter } from 'node:events';

/**
 * Reports a transport's runtime faults the way Python's `Handler.handleError` does, but once per fault
 * rather than once per record: the first occurrence of a fault (by key) emits `'warn'` on the owner
 * (winston re-emits it on the logger; `'warn'` never throws, unlike `'error'`) and writes one line to
 * stderr; repeats are only counted until {@link FaultReporter.clear} says the fault is over.
 */
export class FaultReporter {
  private readonly active = new Map<string, number>();

  /**
   * @param owner - the transport; `'warn'` is emitted on it.
   * @param label - names the transport in messages, e.g. `RotatingFileTransport(app.log)`.
   * @param toStderr - also print the first report of each fault to stderr (Python's default).
   */
  constructor(
    private readonly owner: EventEmitter,
    private readonly label: string,
    private readonly toStderr = true,
  ) {}

  /** Reports `cause` under `key` unless that fault is already active. Returns true when it reported. */
  report(key: string, message: string, cause?: unknown): boolean {
    const seen = this.active.get(key);
    if (seen !== undefined) {
      this.active.set(key, seen + 1);
      return false;
    }
    this.active.set(key, 1);
    const detail =
      cause instanceof Error ? `: ${cause.message}` : cause === undefined ? '' : `: ${String(cause)}`;
    const err = new Error(`${this.label}: ${message}${detail}`, cause === undefined ? undefined : { cause });
    if (this.toStderr) process.stderr.write(`winston-pylogging: ${err.message}\n`);
    try {
      this.owner.emit('warn', err);
    } catch {
      // A throwing 'warn' listener must not turn a logging fault into an application crash.
    }
    return true;
  }

  /** Marks a fault as over; returns how many times it occurred (0 when it was not active). */
  clear(key: string): number {
    const n = this.active.get(key) ?? 0;
    this.active.delete(key);
    return n;
  }

  /** True while the fault `key` is active. */
  isActive(key: string): boolean {
    return this.active.has(key);
  }
}
