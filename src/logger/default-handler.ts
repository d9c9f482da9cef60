import winston from 'winston';
import { pythonFormat } from '../../formats/python-format';
import type { ModuleLogger } from './module-logger';
import { registry } from './registry';

/** The seed's format, used by the short form and by the automatic console handler. */
export const SEED_FORMAT = '%(asctime)s - %(name)s - %(levelname)s - %(message)s';

/**
 * The "preconfigured logger" promise: a bundle logger used before any configuration gets Python's
 * `basicConfig()`-like default the first time a record finds no handler — a stderr console on the root
 * with the seed format. `configureLogging` later removes it. Returns false when the app asked for no
 * default (`registry.defaultHandler === null`).
 */
export function installDefaultHandler(root: ModuleLogger): boolean {
  if (registry.defaultHandler === null) return false;
  // winston's Stream transport writes `line + eol` to the stream itself, as CPython's StreamHandler
  // does (winston's Console goes through the global console, which test runners and APMs replace).
  const t = new winston.transports.Stream({
    stream: process.stderr,
    eol: '\n',
    format: pythonFormat({ format: SEED_FORMAT }),
  });
  registry.defaultHandler = t;
  root.add(t);
  return true;
}

/**
 * Takes the automatic console off the root and ends it: it stands in for CPython's `lastResort`, which
 * is not a root handler, so `basicConfig()` must not count it. Returns true when there was one.
 */
export function removeDefaultHandler(): boolean {
  const t = registry.defaultHandler;
  if (t === undefined || t === null) return false;
  registry.defaultHandler = undefined;
  const root = registry.root;
  if (root === undefined || !root.handlers.includes(t)) return false;
  root.remove(t);
  t.end();
  return true;
}
