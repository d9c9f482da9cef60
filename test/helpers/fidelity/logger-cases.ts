import type { Prng } from './prng';

/** One operation of a logger-tree program (CPython's logging API, by name). */
export type TreeOp =
  | { op: 'setLevel'; logger: string; level: number | string | boolean }
  | { op: 'addHandler'; logger: string; id: string; level: number }
  | { op: 'removeHandler'; logger: string; id: string }
  | { op: 'propagate'; logger: string; value: boolean }
  | { op: 'disable'; level: number }
  | { op: 'addLevelName'; level: number; name: string }
  | { op: 'log'; logger: string; level: number; msg: string; args: Array<string | number> }
  | { op: 'call'; logger: string; method: string; msg: string; args: Array<string | number> };

/** A logger-tree program: operations run in order on a fresh tree. */
export interface TreeCase {
  readonly id: string;
  readonly ops: TreeOp[];
}

const LOGGERS = ['', 'a', 'a.b', 'a.b.c', 'b', 'a.c', 'db.pool'];
const NAMES = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL', 'WARN', 'NOTSET', 'FATAL'];
const METHODS = ['debug', 'info', 'warning', 'error', 'critical'];
const MSGS: Array<[string, Array<string | number>]> = [
  ['hello', []],
  ['x=%s', [1]],
  ['%d items', [3]],
  ['%s and %s', ['a']],
  ['%d', ['abc']],
  ['plain %s', []],
  ['50%% done', []],
  ['%(k)s', []],
];

function level(rng: Prng): number {
  return rng.pick([0, 5, 10, 15, 20, 25, 27, 30, 40, 50, 60, -1]);
}

function op(rng: Prng, handlers: string[], rooted: boolean): TreeOp {
  const logger = rng.pick(LOGGERS);
  let r = rng.next();
  // A rooted program keeps its root handler and propagation, so no record reaches the last resort.
  if (rooted && r >= 0.3 && r < 0.38) r = 0.5;
  if (r < 0.15) {
    const lv = rng.next();
    const value: number | string | boolean =
      lv < 0.5
        ? level(rng)
        : lv < 0.9
          ? rng.pick(NAMES)
          : lv < 0.95
            ? rng.pick(['info', 'Notice', 'NOTICE', 'MY LEVEL'])
            : true;
    return { op: 'setLevel', logger, level: value };
  }
  if (r < 0.3) {
    const id = `h${handlers.length}`;
    handlers.push(id);
    return { op: 'addHandler', logger, id, level: rng.pick([0, 0, 10, 20, 30, 40]) };
  }
  if (r < 0.33 && handlers.length > 0) return { op: 'removeHandler', logger, id: rng.pick(handlers) };
  if (r < 0.38) return { op: 'propagate', logger, value: rng.chance(0.5) };
  if (r < 0.4) return { op: 'disable', level: rng.pick([0, 0, 10, 20, 30]) };
  if (r < 0.43)
    return {
      op: 'addLevelName',
      level: rng.pick([25, 27, 35]),
      name: rng.pick(['Notice', 'NOTICE', 'MY LEVEL', 'TRACE']),
    };
  const [msg, args] = rng.pick(MSGS);
  if (r < 0.6) return { op: 'log', logger, level: level(rng), msg, args };
  return { op: 'call', logger, method: rng.pick(METHODS), msg, args };
}

/**
 * A random program: levels, handlers, propagation, disable(), level names and log calls. Half of them
 * start with a handler on the root ("rooted": never removed, no propagation changes), so records that
 * cannot be formatted are compared in the handlers' path rather than the last resort's.
 */
export function treeCase(rng: Prng, id: string): TreeCase {
  const handlers: string[] = [];
  const rooted = rng.chance(0.5);
  const ops = Array.from({ length: rng.int(3, 14) }, () => op(rng, handlers, rooted));
  if (rooted) ops.unshift({ op: 'addHandler', logger: '', id: 'root', level: 0 });
  return { id, ops };
}
