import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, describeValue } from '../errors';
import { bumpGeneration, registry } from './registry';
import { registerLevelColors, toLevelNo } from '../record/levels';
import { ModuleLogger, transportList } from './module-logger';
import type { ModuleLoggerOptions } from './module-logger';

/** Options for {@link createModuleLogger}; applied when the logger is first created or on every call where given. */
export type CreateModuleLoggerOptions = ModuleLoggerOptions;

/**
 * The root level when nothing else says: `LOG_LEVEL` if set, else INFO when `NODE_ENV=production`,
 * else DEBUG (the seed's "INFO in production, DEBUG in development").
 */
export function defaultRootLevel(env: NodeJS.ProcessEnv = process.env): number {
  const explicit = env.LOG_LEVEL;
  if (explicit !== undefined && explicit !== '') return toLevelNo(explicit, 'LOG_LEVEL');
  return env.NODE_ENV === 'production' ? 20 : 10;
}

/**
 * Parses `LOG_LEVELS="database=info,auth=warning"` into per-logger levels. Throws a ConfigError naming
 * each bad entry.
 */
export function parseLogLevels(text: string | undefined, source = 'LOG_LEVELS'): Map<string, number> {
  const out = new Map<string, number>();
  if (text === undefined || text.trim() === '') return out;
  const problems: string[] = [];
  for (const [i, part] of text.split(',').entries()) {
    const entry = part.trim();
    if (entry === '') continue;
    const eq = entry.indexOf('=');
    if (eq <= 0) {
      problems.push(
        `${source}[${i}]: ${describeValue(entry)} is not allowed; use name=level, e.g. database=info`,
      );
      continue;
    }
    try {
      out.set(
        entry.slice(0, eq).trim(),
        toLevelNo(entry.slice(eq + 1).trim(), `${source}.${entry.slice(0, eq).trim()}`),
      );
    } catch (err) {
      problems.push(...(ConfigError.is(err) ? err.problems : [String(err)]));
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out;
}

function rootLogger(): ModuleLogger {
  if (registry.root === undefined) {
    registerLevelColors();
    const root = ModuleLogger.create('root', (n) => treeLogger(n));
    root.setLevel(defaultRootLevel());
    registry.root = root;
    // LOG_LEVELS makes the loggers it names, with their levels, when the tree starts (as CPython's
    // dictConfig creates the loggers it configures): a level given to 'auth' then governs 'auth.login'
    // whichever of the two the app asks for first. 'root' (or '') is the root.
    for (const [name, level] of parseLogLevels(process.env.LOG_LEVELS)) {
      (name === '' || name === 'root' ? root : treeLogger(name)).setLevel(level);
    }
  }
  return registry.root;
}

// CPython's Manager.getLogger with _fixupChildren/_fixupParents: a missing dotted prefix is kept as a
// placeholder listing the loggers below it, so creating a logger costs O(depth + its waiting
// children), never O(all loggers).
function treeLogger(name: string, options?: ModuleLoggerOptions): ModuleLogger {
  // The root first: starting the tree may create this very logger (LOG_LEVELS names it).
  const root = rootLogger();
  const existing = registry.loggers.get(name);
  if (existing !== undefined) {
    if (options !== undefined) applyOptions(existing, options);
    return existing;
  }
  const logger = ModuleLogger.create(name, (n) => treeLogger(n), checkOptions(options));
  registry.loggers.set(name, logger);
  const waiting = registry.placeholders.get(name);
  if (waiting !== undefined) {
    registry.placeholders.delete(name);
    for (const c of waiting) {
      const cp = c._py.parent;
      if (cp === null || !cp.name.startsWith(name)) {
        logger._py.parent = cp;
        c._py.parent = logger;
      }
    }
  }
  // CPython searches name.rfind('.', 0, i - 1): the character just before a dot is never a dot it
  // considers, so 'a..b' looks at 'a.' but not at 'a' (hier-39).
  let parent: ModuleLogger | undefined;
  for (
    let i = name.lastIndexOf('.');
    i > 0 && parent === undefined;
    i = i < 2 ? -1 : name.lastIndexOf('.', i - 2)
  ) {
    const prefix = name.slice(0, i);
    const found = registry.loggers.get(prefix);
    if (found !== undefined) {
      parent = found;
      break;
    }
    let ph = registry.placeholders.get(prefix);
    if (ph === undefined) registry.placeholders.set(prefix, (ph = new Set()));
    ph.add(logger);
  }
  logger._py.parent = parent ?? root;
  bumpGeneration();
  return logger;
}

/**
 * Returns the module logger `name`, creating it on first use — Python's `logging.getLogger(name)`
 * with a real winston logger. Loggers are cached per name; `''`, `'root'` or no name is the root
 * logger. Dotted names form the hierarchy (`'app.db'` is a child of `'app'`). Options given on a later
 * call are applied to the existing logger.
 *
 * The loggers named in `LOG_LEVELS` are created with their levels when the tree starts (so a parent's
 * level governs its children whatever the order they are asked for; a creating call that names a level
 * still wins); the root starts at `LOG_LEVEL`, or INFO with `NODE_ENV=production`, else DEBUG.
 *
 * @example
 * ```ts
 * const log = createModuleLogger('database');
 * log.info('Query executed: %s', sql);
 * log.error('Query failed', err);      // the traceback follows the line
 * ```
 */
export function createModuleLogger(
  name?: string | NodeJS.Module | null,
  options?: CreateModuleLoggerOptions,
): ModuleLogger {
  const resolved = name !== null && typeof name === 'object' ? moduleName(name) : name;
  if (resolved !== undefined && resolved !== null && typeof resolved !== 'string') {
    throw new ConfigError(
      `createModuleLogger(name): ${describeValue(resolved)} is not allowed; use a string such as 'database' or 'app.db'`,
    );
  }
  if (resolved === undefined || resolved === null || resolved === '' || resolved === 'root') {
    const root = rootLogger();
    if (options !== undefined) applyOptions(root, options);
    return root;
  }
  return treeLogger(resolved, options);
}

/** Alias of {@link createModuleLogger}, named as in Python (`logging.getLogger`). */
export const getLogger = createModuleLogger;

function checkOptions(options: CreateModuleLoggerOptions | undefined): CreateModuleLoggerOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object') {
    throw new ConfigError(
      `createModuleLogger(name, options): ${describeValue(options)} is not allowed; use an object of logger options`,
    );
  }
  return options;
}

/**
 * Applies the options given to `createModuleLogger`, each on its own: given on a later call for an
 * existing logger, transports and filters are added and the rest replaced, so a module that asks for
 * its logger twice does not undo the first call (winston's `configure()` is there for a full reset).
 */
function applyOptions(logger: ModuleLogger, options: CreateModuleLoggerOptions): void {
  checkOptions(options);
  if (options.levels !== undefined) logger._adoptLevels(options.levels);
  if (options.level !== undefined) logger.setLevel(options.level);
  if (options.format !== undefined) logger.format = options.format;
  if (options.propagate !== undefined) logger.propagate = options.propagate;
  if (options.defaultMeta !== undefined) logger.defaultMeta = options.defaultMeta;
  if (options.silent !== undefined) logger.silent = options.silent;
  if (options.exitOnError !== undefined) logger.exitOnError = options.exitOnError;
  for (const f of options.filters ?? []) logger.addFilter(f);
  for (const t of transportList(options.transports)) logger.add(t);
  if (options.exceptionHandlers !== undefined)
    logger.exceptions.handle(...transportList(options.exceptionHandlers));
  if (options.rejectionHandlers !== undefined)
    logger.rejections.handle(...transportList(options.rejectionHandlers));
}

/**
 * Python's `__name__` for a Node module: `'__main__'` for the entry module, else its path relative to
 * the entry module's folder, without extension, with `/` turned into `.` (`lib/db.ts` → `'lib.db'`).
 * Pass CommonJS's `module`, or `import.meta.url` / a file path from ESM.
 *
 * @example const log = createModuleLogger(moduleName(module));
 */
export function moduleName(ref: NodeJS.Module | string): string {
  let file: string;
  if (typeof ref === 'string') file = ref.startsWith('file:') ? fileURLToPath(ref) : ref;
  else if (ref !== null && typeof ref === 'object' && typeof ref.filename === 'string') file = ref.filename;
  else
    throw new ConfigError(
      `moduleName: ${describeValue(ref)} is not allowed; pass CommonJS \`module\`, import.meta.url or a file path`,
    );
  const entry = require.main?.filename ?? process.argv[1];
  if (entry !== undefined && (typeof ref === 'object' ? ref === require.main : false)) return '__main__';
  if (entry !== undefined && path.resolve(entry) === path.resolve(file)) return '__main__';
  const base = entry !== undefined ? path.dirname(path.resolve(entry)) : process.cwd();
  let rel = path.relative(base, path.resolve(file));
  if (rel.startsWith('..')) rel = path.basename(file);
  const ext = path.extname(rel);
  if (ext) rel = rel.slice(0, -ext.length);
  const parts = rel.split(path.sep).filter((p) => p !== '');
  if (parts[parts.length - 1] === 'index' && parts.length > 1) parts.pop();
  return parts.join('.');
}

/** The root logger (Python's `logging.getLogger()`). */
export function getRootLogger(): ModuleLogger {
  return rootLogger();
}

/**
 * Python's `logging.disable(level)`: drops every call at or below `level` on every logger, whatever
 * their levels. `disableLogging()` means CRITICAL (everything); `disableLogging(0)` undoes it.
 */
export function disableLogging(level: string | number = 50): void {
  registry.disableLevel = toLevelNo(level, 'disableLogging(level)');
  bumpGeneration();
}

/**
 * Forgets every logger and handler (without closing transports) and returns the tree to its initial
 * state: for tests, and for apps that rebuild logging from scratch. Environment levels are read again.
 */
export function resetLogging(): void {
  for (const logger of registry.loggers.values()) logger.clear();
  registry.root?.clear();
  registry.loggers.clear();
  registry.placeholders.clear();
  registry.root = undefined;
  registry.defaultHandler = undefined;
  registry.configured = false;
  registry.lastResort = true;
  registry.disableLevel = 0;
  bumpGeneration();
}
