import type Transport from 'winston-transport';
import type { ModuleLogger } from './module-logger';

/** The loggers holding one transport, and the one `'warn'`/`'error'` listener pair that serves them. */
export interface TransportWatch {
  holders: Set<ModuleLogger>;
  warn: (warning: unknown) => void;
  error: (err: unknown) => void;
}

/**
 * Process-wide state of the logger tree, Python's `logging.Logger.manager`: the loggers by name, the
 * placeholders (names that are a dotted prefix of a logger but not loggers themselves, with the loggers
 * below them), the root, `logging.disable()`'s level, and a generation counter that every change to
 * levels, parents, `disabled` or `disable()` bumps so each logger's cached effective level is
 * recomputed lazily (the reason a disabled call costs a few nanoseconds).
 */
export const registry = {
  generation: 0,
  /** `logging.disable(level)`: calls at or below this level are dropped everywhere (0 = off). */
  disableLevel: 0,
  loggers: new Map<string, ModuleLogger>(),
  /** CPython's `PlaceHolder`s: a missing dotted prefix → the loggers that wait below it. */
  placeholders: new Map<string, Set<ModuleLogger>>(),
  root: undefined as ModuleLogger | undefined,
  /** True once configureLogging/basic setup ran or a handler was added by hand. */
  configured: false,
  /**
   * Python compatibility mode (`setPythonCompat(true)`): records CPython would drop are dropped with a
   * `--- Logging error ---` report, level names must be spelled as CPython spells them, and `extra`
   * keys may not overwrite record attributes. Off by default: the bundle keeps every record.
   */
  pythonCompat: false,
  /** Python's `logging.lastResort`: WARNING+ to stderr when a record finds no handler at all. */
  lastResort: true,
  /** Each transport a logger holds → its holders and listener pair (see ModuleLogger's `watch`). */
  watched: new WeakMap<Transport, TransportWatch>(),
  /** The automatic console, once installed (undefined: not yet; null: never install one). */
  defaultHandler: undefined as Transport | null | undefined,
};

/** Invalidates every cached effective level. */
export function bumpGeneration(): void {
  registry.generation++;
}
