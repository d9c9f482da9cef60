import { registry } from './registry';

/**
 * Python compatibility mode, for code and tests that must behave exactly as CPython's `logging`:
 *
 * - a record that CPython cannot format (a `%(user)s` the record lacks, `'%d' % 'abc'`, unused
 *   arguments) is dropped by that handler with a one-line report on stderr,
 *   `--- Logging error --- [TypeError: not enough arguments for format string] Message: '%s %s'`
 *   (CPython prints the same facts over several lines);
 * - `setLevel('info')` throws as CPython does (names must be spelled `'INFO'`), and `log(level, …)`
 *   takes only numbers;
 * - `extra` keys that would overwrite a record attribute (`name`, `message`, …) throw at the call.
 *
 * Off by default: the bundle's rule is that bad log data is logged anyway, and level names are
 * accepted in any case. Returns the previous setting.
 *
 * @example setPythonCompat(true);
 */
export function setPythonCompat(enabled: boolean): boolean {
  const previous = registry.pythonCompat;
  registry.pythonCompat = Boolean(enabled);
  return previous;
}
