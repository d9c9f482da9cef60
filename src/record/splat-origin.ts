import { format } from 'logform';
import type { Format, TransformableInfo } from 'logform';
import { SPLAT } from 'triple-beam';
import winston from 'winston';
import { PY_RECORD } from './record';

/**
 * What a plain winston logger's info held before logform's `splat()` rewrote it: the caller's
 * message (the `%` template) and a copy of the call's arguments (`splat()` splices trailing
 * metadata, and every argument of a message without tokens, out of `[SPLAT]`).
 */
export interface SplatOrigin {
  readonly message: unknown;
  readonly args: readonly unknown[];
}

// The note is kept on the info's [SPLAT] array: winston-transport's per-transport copy of the info
// (Object.assign) shares that array, so every transport finds it; the info's own keys stay winston's,
// and only an inspection of [SPLAT] itself shows the note (json(), prettyPrint() and line formats
// never print [SPLAT]). An own property set by assignment costs ~15 ns a record; a WeakMap (ephemeron
// work for the GC) or a non-enumerable defineProperty measured 300-1000 ns. Registered, so copies of
// the package agree.
const ORIGIN: unique symbol = Symbol.for('winston-pylogging.splat-origin') as never;
// The splat() prototypes already watched (winston's logform and this package's, when they differ).
const watched = new WeakSet<object>();

type Transform = (info: TransformableInfo, opts?: unknown) => TransformableInfo | boolean;

/**
 * The message and arguments of a plain winston info before `splat()` changed it, or undefined when
 * no watched `splat()` changed it (it did not run, or left the message and `[SPLAT]` as they were).
 */
export function splatOriginOf(info: TransformableInfo): SplatOrigin | undefined {
  const splat = (info as { [SPLAT]?: unknown })[SPLAT];
  return Array.isArray(splat) ? (splat as { [ORIGIN]?: SplatOrigin })[ORIGIN] : undefined;
}

/**
 * Makes logform's `splat()` leave a note of what it changes on a plain winston logger's info, so
 * that a record built after it knows the message is already interpolated (the info alone cannot
 * tell: `.info('count %d items', 5)` after `splat()` and `.info('count 5 items', 5)` without it are
 * the same info). Wraps `transform` on the prototype of winston's `splat()` (and of this package's
 * logform, if it is another copy) once; the wrapper changes nothing `splat()` does. Called by the
 * factories of the formats that read records (`pythonFormat`), so it is in place before a logger
 * built with them logs; idempotent.
 */
export function watchSplat(): void {
  for (const factory of [winston.format.splat, format.splat]) {
    const proto = Object.getPrototypeOf(factory()) as { transform?: Transform } | null;
    if (proto === null || watched.has(proto)) continue;
    watched.add(proto);
    const transform = proto.transform;
    if (typeof transform !== 'function') continue;
    proto.transform = function watchedSplat(this: Format, info, opts) {
      const splat = (info as { [SPLAT]?: unknown } | null)?.[SPLAT];
      // The bundle's loggers capture the call's own context (PY_RECORD) at the call: nothing to note.
      if (
        !Array.isArray(splat) ||
        splat.length === 0 ||
        (info as Record<symbol, unknown>)[PY_RECORD] !== undefined
      ) {
        return transform.call(this, info, opts);
      }
      const message: unknown = info.message;
      const args: unknown[] = splat.slice();
      const out = transform.call(this, info, opts);
      // The first splat() of a call keeps the note: a second one (on a transport) sees its output.
      const noted = splat as unknown[] & { [ORIGIN]?: SplatOrigin };
      if (
        (info.message !== message || splat.length !== args.length) &&
        noted[ORIGIN] === undefined &&
        Object.isExtensible(splat)
      ) {
        noted[ORIGIN] = { message, args };
      }
      return out;
    };
  }
}
