import type { LogContextFields } from './log-context-storage';

/**
 * @internal Copies a context's fields onto a record's info where the info has no such key: what the
 * call gave (metadata, Python's `extra`) and `child()` bindings win. Never throws into the caller (an
 * info object that refuses new keys keeps what it has).
 */
export function addContextFields(info: object, fields: LogContextFields): void {
  const bag = info as Record<string, unknown>;
  try {
    for (const key in fields) if (!(key in bag)) bag[key] = fields[key];
  } catch {
    // A caller's frozen or proxied info object: logged as it is.
  }
}

/**
 * @internal A logger's `defaultMeta` without the keys the active context sets (the context wins over
 * defaultMeta); the same object when nothing overlaps.
 */
export function withoutContextKeys(meta: object, fields: LogContextFields): object {
  for (const key in fields) {
    if (Object.prototype.hasOwnProperty.call(meta, key)) {
      const copy: Record<string, unknown> = { ...meta };
      for (const k in fields) delete copy[k];
      return copy;
    }
  }
  return meta;
}
