import { format } from 'logform';
import type { Format, TransformableInfo } from 'logform';
import { addContextFields } from '../src/context/apply-log-context';
import { logContextStorage } from '../src/context/log-context-storage';
import { PY_RECORD } from '../src/record/record';
import type { RecordContext } from '../src/record/record';

function addLogContext(info: TransformableInfo): TransformableInfo {
  // A module logger's record carries the context of its call (already merged); a plain winston
  // logger's record gets the context active now.
  const fields =
    (info as { [PY_RECORD]?: RecordContext })[PY_RECORD]?.logContext ?? logContextStorage.getStore();
  if (fields !== undefined) addContextFields(info, fields);
  return info;
}

/**
 * The logform format that copies the active log context's fields (see `runWithLogContext`) onto a
 * plain winston logger's info, never overwriting a key the info already has. Module loggers do this
 * themselves; a plain `winston.createLogger` needs this format, placed first in the **logger's**
 * format so it runs at the log call, before `pythonFormat`, `json()` or a transport's format read the
 * info: `format.combine(logContext(), pythonFormat('%(requestId)s %(message)s'))`.
 *
 * @example
 * ```ts
 * winston.createLogger({ format: winston.format.combine(logContext(), winston.format.json()) });
 * ```
 */
export function logContext(): Format {
  return format(addLogContext)();
}
