import { isPyMapping } from './py-repr';

/**
 * What `LogRecord.__init__` does to `args`: a tuple holding exactly one non-empty mapping becomes
 * that mapping, so `log.info('%(user)s', { user })` works. Everything else is returned unchanged.
 *
 * @example unwrapSingleMapping([{ user: 'kim' }]) // { user: 'kim' }
 */
export function unwrapSingleMapping(args: unknown): unknown {
  if (!Array.isArray(args) || args.length !== 1) return args;
  const m: unknown = args[0];
  if (!isPyMapping(m)) return args;
  const size = m instanceof Map ? m.size : Object.keys(m).length;
  return size > 0 ? m : args;
}
