import type Transport from 'winston-transport';

/**
 * What the exit hooks may call on a live bundle transport. Every method is optional: a transport offers
 * what fits it.
 */
export interface LiveTransport extends Transport {
  /**
   * Called in `process.on('exit')`, where nothing asynchronous runs: write what is held (files), or
   * report on stderr what cannot be delivered any more (MongoDB). Must be cheap and idempotent.
   */
  flushSync?(): void;
  /**
   * Called once when the process emits `'exit'`, before {@link flushSync}: no later turn of the event loop
   * comes, so from now on the transport writes each record before `log()` returns (records logged by an
   * app's own `'exit'` listener that runs after the bundle's hook).
   */
  processExit?(): void;
  /**
   * Called in `process.on('beforeExit')` (the event loop is empty: the program's own work is done). An
   * asynchronous transport may start a bounded final delivery here; it must end on its own within a
   * documented time and must not start again while it runs.
   */
  beforeExit?(): void;
}

// Weakly held: a transport nobody references any more (no logger, no app variable, no pending timer)
// has nothing left to write and must not be kept alive by the registry.
const live = new Set<WeakRef<LiveTransport>>();
const index = new WeakMap<LiveTransport, WeakRef<LiveTransport>>();
let pruneAt = 64;
let hooked = false;
// Set when the 'exit' event begins: a transport created after that is told at once (processExit).
let exiting = false;

function each(fn: (t: LiveTransport) => void): void {
  for (const ref of [...live]) {
    const t = ref.deref();
    if (t === undefined) {
      live.delete(ref);
      continue;
    }
    try {
      fn(t);
    } catch {
      // One transport failing at exit must not keep the others from writing.
    }
  }
}

function flushAll(): void {
  each((t) => t.flushSync?.());
}

function onExit(): void {
  exiting = true;
  each((t) => t.processExit?.());
  flushAll();
}

function onBeforeExit(): void {
  each((t) => t.beforeExit?.());
}

/**
 * Records a bundle transport as live, so that {@link liveTransports} (used by `shutdown()`) and the exit
 * hooks reach it even when it is attached to a plain winston logger. The first call installs one
 * `process.on('exit')` hook (every live transport's `flushSync()`: Python's `atexit` `logging.shutdown`)
 * and one `process.on('beforeExit')` hook (a bounded final delivery for asynchronous transports).
 * Neither hook keeps the process alive or changes its exit code.
 */
export function registerTransport(t: LiveTransport): void {
  if (index.has(t)) return;
  const ref = new WeakRef(t);
  index.set(t, ref);
  live.add(ref);
  if (live.size >= pruneAt) {
    for (const r of live) if (r.deref() === undefined) live.delete(r);
    pruneAt = Math.max(64, live.size * 2);
  }
  if (exiting) t.processExit?.();
  if (!hooked) {
    hooked = true;
    process.on('exit', onExit);
    process.on('beforeExit', onBeforeExit);
  }
}

/** Forgets a transport (it was closed: nothing is left for the exit hooks). */
export function unregisterTransport(t: LiveTransport): void {
  const ref = index.get(t);
  if (ref === undefined) return;
  index.delete(t);
  live.delete(ref);
}

/** The bundle transports created and not closed yet, oldest first. */
export function liveTransports(): LiveTransport[] {
  const out: LiveTransport[] = [];
  each((t) => out.push(t));
  return out;
}

/** Runs the `'exit'` hook's work now (every live transport's `flushSync()`); for `installExitHandlers`. */
export function flushLiveTransports(): void {
  flushAll();
}
