import { percentFormat } from '../../formats/python/percent-format';
import { isPyMapping, pyStr } from '../../formats/python/py-repr';
import { PyTuple } from '../../formats/python/py-tuple';

/** Python truthiness of a record's `args`: None, empty tuple and empty mapping are false. */
function argsTruthy(args: unknown): boolean {
  if (args === null || args === undefined || args === false || args === 0 || args === '') return false;
  if (Array.isArray(args)) return args.length > 0;
  if (args instanceof PyTuple) return args.items.length > 0;
  if (args instanceof Map) return args.size > 0;
  if (isPyMapping(args)) return Object.keys(args).length > 0;
  return true;
}

/**
 * CPython's `LogRecord.getMessage()`: `str(msg)`, then `% args` only when `args` is truthy. An array
 * is a tuple, a plain object a mapping. Throws `PythonFormatError` (phase 'format') where Python
 * raises: too few or too many arguments, a bad conversion, a missing mapping key (KeyError).
 *
 * @example getMessage('%s items', [3]) // '3 items'
 */
export function getMessage(msg: unknown, args: unknown): string {
  const s = typeof msg === 'string' ? msg : pyStr(msg);
  return argsTruthy(args) ? percentFormat(s, args) : s;
}
