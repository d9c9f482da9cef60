import * as fs from 'node:fs';
import { format } from 'logform';
import type { Format, TransformableInfo } from 'logform';
import type Transport from 'winston-transport';
import { pythonFormat } from '../../formats/python-format';
import { createModuleLogger, getRootLogger, parseLogLevels } from '../logger/create-module-logger';
import { SEED_FORMAT } from '../logger/default-handler';
import { ConfigError, describeValue } from '../errors';
import {
  COMMON_HANDLER_KEYS,
  CONSOLE_STREAMS,
  HANDLER_CLASSES,
  HANDLER_OPTION_KEYS,
  allowedList,
  buildHandler,
  loadTransportClass,
} from './config-handlers';
import type { HandlerKind } from './config-handlers';
import { bumpGeneration, registry } from '../logger/registry';
import { toLevelNo, winstonLevelName } from '../record/levels';
import type { LoggingConfig } from './logging-config';
import type { LoggerFilter, ModuleLogger } from '../logger/module-logger';

export { SEED_FORMAT };

const DICT_KEYS = [
  'version',
  'formatters',
  'filters',
  'handlers',
  'loggers',
  'root',
  'incremental',
  'disable_existing_loggers',
  'useEnv',
];
const SHORT_KEYS = [
  'level',
  'format',
  'datefmt',
  'style',
  'console',
  'file',
  'mongo',
  'mongodb',
  'levels',
  'errorFiles',
  'exclude',
  'disable_existing_loggers',
  'useEnv',
];
const FORMATTER_KEYS = ['format', 'datefmt', 'style', 'validate', 'defaults', 'class'];
const FILTER_KEYS = ['name', 'exclude'];
const LOGGER_KEYS = ['level', 'handlers', 'propagate', 'filters'];
const ROOT_KEYS = ['level', 'handlers', 'filters'];

/** Transports configureLogging built (it closes them when a later config replaces them), by handler id. */
const owned = new Map<string, Transport>();

type Problems = string[];
type Dict = Record<string, unknown>;

function isObject(v: unknown): v is Dict {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isTransport(v: unknown): v is Transport {
  return (
    isObject(v) &&
    typeof (v as { write?: unknown }).write === 'function' &&
    (v as { _writableState?: { objectMode?: boolean } })._writableState?.objectMode === true
  );
}

function unknownKeys(obj: Dict, allowed: readonly string[], where: string, problems: Problems): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      problems.push(
        `${where}.${key}: unknown key (value ${describeValue(obj[key])}); allowed: ${allowed.join(', ')}`,
      );
    }
  }
}

/** Keys that would reach an object's prototype chain when used as a property name. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * A configuration is data: a key that names a prototype (`__proto__`, `constructor`, `prototype`) at any
 * depth of its plain objects and arrays is refused, naming its path, before anything reads it (a JSON
 * `"__proto__"` key is an own property; used as a property name it would change Object.prototype).
 * Transports, streams, functions and other class instances given in a config are the app's objects and
 * are not entered.
 */
function checkUnsafeKeys(value: unknown, where: string, problems: Problems, seen: Set<object>): void {
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  const proto: unknown = Object.getPrototypeOf(value);
  const isArray = Array.isArray(value);
  if (!isArray && proto !== Object.prototype && proto !== null) return;
  seen.add(value);
  for (const key of Object.keys(value)) {
    const path = isArray ? `${where}[${key}]` : where === '' ? key : `${where}.${key}`;
    if (!isArray && UNSAFE_KEYS.has(key)) {
      problems.push(
        `${path}: the key ${describeValue(key)} is not allowed; a configuration key may not name a prototype (__proto__, constructor, prototype)`,
      );
      continue;
    }
    checkUnsafeKeys((value as Record<string, unknown>)[key], path, problems, seen);
  }
}

function checkLevel(value: unknown, where: string, problems: Problems): number | undefined {
  if (value === undefined) return undefined;
  try {
    return toLevelNo(value, where);
  } catch (err) {
    problems.push(...(ConfigError.is(err) ? err.problems : [`${where}: ${String(err)}`]));
    return undefined;
  }
}

function checkBool(value: unknown, where: string, problems: Problems): void {
  if (value !== undefined && typeof value !== 'boolean') {
    problems.push(`${where}: ${describeValue(value)} is not allowed; use true or false`);
  }
}

function checkCount(value: unknown, where: string, problems: Problems): void {
  if (value !== undefined && !(Number.isSafeInteger(value) && (value as number) >= 0)) {
    problems.push(`${where}: ${describeValue(value)} is not allowed; use an integer >= 0`);
  }
}

/** A Python `logging.Filter(name)` test, or its negation for the `exclude` extension. */
function nameTest(name: string, recordName: string): boolean {
  if (name === '' || name === recordName) return true;
  return recordName.length > name.length && recordName[name.length] === '.' && recordName.startsWith(name);
}

function recordName(info: TransformableInfo): string {
  const ctx = (info as Record<symbol, unknown>)[Symbol.for('winston-pylogging.record')] as
    { name?: unknown } | undefined;
  if (typeof ctx?.name === 'string') return ctx.name;
  const { logger, label } = info as { logger?: unknown; label?: unknown };
  if (typeof logger === 'string') return logger;
  if (typeof label === 'string') return label;
  return 'root';
}

function makeFilter(spec: Dict): LoggerFilter {
  const include = typeof spec.name === 'string' ? spec.name : undefined;
  const exclude =
    spec.exclude === undefined
      ? []
      : typeof spec.exclude === 'string'
        ? [spec.exclude]
        : (spec.exclude as string[]);
  return (info: TransformableInfo): boolean => {
    const name = recordName(info);
    if (include !== undefined && !nameTest(include, name)) return false;
    for (const e of exclude) if (nameTest(e, name)) return false;
    return true;
  };
}

function filterAsFormat(f: LoggerFilter): Format {
  const test =
    typeof f === 'function'
      ? f
      : typeof (f as Format).transform === 'function'
        ? (info: TransformableInfo) => (f as Format).transform(info, (f as Format).options)
        : (info: TransformableInfo) => (f as { filter(i: TransformableInfo): unknown }).filter(info);
  return format((info: TransformableInfo) => {
    try {
      return test(info) ? info : false;
    } catch (err) {
      process.stderr.write(
        `winston-pylogging: a handler filter threw (${String(err)}); the record was kept\n`,
      );
      return info;
    }
  })();
}

interface HandlerPlan {
  id: string;
  /** A transport the app passed in (never closed by configureLogging). */
  given?: Transport;
  kind?: HandlerKind;
  level?: number;
  formatter?: string;
  filters: Array<string | LoggerFilter>;
  options: Dict;
}

interface LoggerPlan {
  name: string;
  level?: number;
  handlers?: string[];
  propagate?: boolean;
  filters: Array<string | LoggerFilter>;
}

interface Plan {
  incremental: boolean;
  disableExisting: boolean;
  useEnv: boolean;
  formatters: Map<string, Dict>;
  filters: Map<string, LoggerFilter>;
  handlers: HandlerPlan[];
  loggers: LoggerPlan[];
  root: LoggerPlan | undefined;
}

function checkFilterRefs(
  value: unknown,
  where: string,
  filterIds: ReadonlySet<string>,
  problems: Problems,
): Array<string | LoggerFilter> {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push(
      `${where}: ${describeValue(value)} is not allowed; use an array of filter ids or functions`,
    );
    return [];
  }
  const out: Array<string | LoggerFilter> = [];
  value.forEach((f: unknown, i) => {
    if (typeof f === 'string') {
      if (!filterIds.has(f)) {
        problems.push(
          `${where}[${i}]: ${describeValue(f)} is not allowed; use one of the ids in filters (${[...filterIds].join(', ') || 'none defined'})`,
        );
      } else out.push(f);
    } else if (
      typeof f === 'function' ||
      (isObject(f) && typeof (f as { filter?: unknown }).filter === 'function')
    ) {
      out.push(f as LoggerFilter);
    } else if (isObject(f) && typeof (f as { transform?: unknown }).transform === 'function') {
      out.push(f as unknown as LoggerFilter);
    } else {
      problems.push(
        `${where}[${i}]: ${describeValue(f)} is not allowed; use a filter id, a function or { filter(record) }`,
      );
    }
  });
  return out;
}

function checkLogger(
  name: string,
  raw: unknown,
  where: string,
  isRoot: boolean,
  handlerIds: ReadonlySet<string>,
  filterIds: ReadonlySet<string>,
  incremental: boolean,
  problems: Problems,
): LoggerPlan | undefined {
  if (!isObject(raw)) {
    problems.push(
      `${where}: ${describeValue(raw)} is not allowed; use an object with ${(isRoot ? ROOT_KEYS : LOGGER_KEYS).join(', ')}`,
    );
    return undefined;
  }
  unknownKeys(raw, isRoot ? ROOT_KEYS : LOGGER_KEYS, where, problems);
  const plan: LoggerPlan = { name, filters: [] };
  const level = checkLevel(raw.level, `${where}.level`, problems);
  if (level !== undefined) plan.level = level;
  if (!isRoot) {
    checkBool(raw.propagate, `${where}.propagate`, problems);
    if (typeof raw.propagate === 'boolean') plan.propagate = raw.propagate;
  }
  if (raw.handlers !== undefined) {
    if (!Array.isArray(raw.handlers)) {
      problems.push(
        `${where}.handlers: ${describeValue(raw.handlers)} is not allowed; use an array of handler ids`,
      );
    } else if (!incremental) {
      const ids: string[] = [];
      raw.handlers.forEach((h: unknown, i) => {
        if (typeof h !== 'string' || !handlerIds.has(h)) {
          problems.push(
            `${where}.handlers[${i}]: ${describeValue(h)} is not allowed; use one of the ids in handlers (${[...handlerIds].join(', ') || 'none defined'})`,
          );
        } else ids.push(h);
      });
      plan.handlers = ids;
    }
  }
  if (!incremental) plan.filters = checkFilterRefs(raw.filters, `${where}.filters`, filterIds, problems);
  return plan;
}

function checkHandler(
  id: string,
  raw: unknown,
  formatterIds: ReadonlySet<string>,
  filterIds: ReadonlySet<string>,
  problems: Problems,
): HandlerPlan | undefined {
  const where = `handlers.${id}`;
  if (isTransport(raw)) return { id, given: raw, filters: [], options: {} };
  if (!isObject(raw)) {
    problems.push(
      `${where}: ${describeValue(raw)} is not allowed; use { class, level?, formatter?, filters?, ...options } or a winston transport`,
    );
    return undefined;
  }
  const cls = raw.class;
  const kind = typeof cls === 'string' ? HANDLER_CLASSES[cls] : undefined;
  if (kind === undefined) {
    problems.push(
      `${where}.class: ${describeValue(cls)} is not allowed; use one of ${allowedList(Object.keys(HANDLER_CLASSES))}`,
    );
    return undefined;
  }
  const plan: HandlerPlan = { id, kind, filters: [], options: {} };
  const level = checkLevel(raw.level, `${where}.level`, problems);
  if (level !== undefined) plan.level = level;
  if (raw.formatter !== undefined) {
    if (typeof raw.formatter !== 'string' || !formatterIds.has(raw.formatter)) {
      problems.push(
        `${where}.formatter: ${describeValue(raw.formatter)} is not allowed; use one of the ids in formatters (${[...formatterIds].join(', ') || 'none defined'})`,
      );
    } else plan.formatter = raw.formatter;
  }
  plan.filters = checkFilterRefs(raw.filters, `${where}.filters`, filterIds, problems);
  const optionKeys = HANDLER_OPTION_KEYS[kind];
  for (const [key, value] of Object.entries(raw)) {
    if ((COMMON_HANDLER_KEYS as readonly string[]).includes(key)) continue;
    if (optionKeys !== undefined && !optionKeys.includes(key)) {
      problems.push(
        `${where}.${key}: unknown option for class ${describeValue(cls)} (value ${describeValue(value)}); allowed: ${[...COMMON_HANDLER_KEYS, ...optionKeys].join(', ')}`,
      );
      continue;
    }
    plan.options[key] = value;
  }
  const o = plan.options;
  if (kind === 'console') {
    const s = o.stream;
    const isStream =
      s !== null && typeof s === 'object' && typeof (s as { write?: unknown }).write === 'function';
    if (s !== undefined && !isStream && !(CONSOLE_STREAMS as readonly unknown[]).includes(s)) {
      problems.push(
        `${where}.stream: ${describeValue(s)} is not allowed; use one of ${allowedList(CONSOLE_STREAMS)} or a writable stream`,
      );
    }
    checkBool(o.color, `${where}.color`, problems);
  }
  if (kind === 'file' || kind === 'rotating_file' || kind === 'timed_rotating_file') {
    if (typeof o.filename !== 'string' || o.filename === '') {
      problems.push(
        `${where}.filename: ${describeValue(o.filename)} is not allowed; use a non-empty file path`,
      );
    }
    if (o.mode !== undefined && o.mode !== 'a' && o.mode !== 'w') {
      problems.push(`${where}.mode: ${describeValue(o.mode)} is not allowed; use "a" or "w"`);
    }
    checkBool(o.delay, `${where}.delay`, problems);
    checkCount(o.backupCount, `${where}.backupCount`, problems);
    if (o.encoding !== undefined && typeof o.encoding !== 'string') {
      problems.push(
        `${where}.encoding: ${describeValue(o.encoding)} is not allowed; use an encoding name such as "utf-8"`,
      );
    }
  }
  if (kind === 'rotating_file') checkCount(o.maxBytes, `${where}.maxBytes`, problems);
  if (kind === 'timed_rotating_file' || kind === 'mongodb') {
    const cls2 = loadTransportClass(kind);
    if (typeof cls2 === 'string')
      problems.push(`${where}.class: ${describeValue(cls)} is not available: ${cls2}`);
    else {
      // Transports that can check their options without side effects do it here, before any handler is
      // built (a file opened for nothing), with the transport's own wording.
      const validate = (cls2 as { validateOptions?: (options: unknown) => string[] }).validateOptions;
      if (typeof validate === 'function') for (const m of validate(o)) problems.push(`${where}: ${m}`);
    }
  }
  return plan;
}

function checkDict(config: Dict, problems: Problems): Plan | undefined {
  unknownKeys(config, DICT_KEYS, 'config', problems);
  if (config.version !== 1) {
    problems.push(
      config.version === undefined
        ? 'version: missing; a dict config must say version: 1'
        : `version: ${describeValue(config.version)} is not allowed; use 1`,
    );
  }
  checkBool(config.incremental, 'incremental', problems);
  checkBool(config.disable_existing_loggers, 'disable_existing_loggers', problems);
  checkBool(config.useEnv, 'useEnv', problems);
  const incremental = config.incremental === true;
  const plan: Plan = {
    incremental,
    disableExisting: config.disable_existing_loggers !== false,
    useEnv: config.useEnv !== false,
    formatters: new Map(),
    filters: new Map(),
    handlers: [],
    loggers: [],
    root: undefined,
  };
  const section = (key: string): Dict => {
    const v = config[key];
    if (v === undefined) return {};
    if (!isObject(v)) {
      problems.push(`${key}: ${describeValue(v)} is not allowed; use an object keyed by id`);
      return {};
    }
    return v;
  };
  const formatters = section('formatters');
  const filters = section('filters');
  const handlers = section('handlers');
  const loggers = section('loggers');

  if (!incremental) {
    for (const [id, f] of Object.entries(formatters)) {
      const where = `formatters.${id}`;
      if (!isObject(f)) {
        problems.push(`${where}: ${describeValue(f)} is not allowed; use { format, datefmt?, style? }`);
        continue;
      }
      unknownKeys(f, FORMATTER_KEYS, where, problems);
      if (f.class !== undefined && f.class !== 'logging.Formatter') {
        problems.push(
          `${where}.class: ${describeValue(f.class)} is not allowed; use "logging.Formatter" or leave it out`,
        );
      }
      const { class: _cls, ...opts } = f;
      plan.formatters.set(id, opts);
    }
    for (const [id, f] of Object.entries(filters)) {
      const where = `filters.${id}`;
      if (typeof f === 'function') {
        plan.filters.set(id, f as LoggerFilter);
        continue;
      }
      if (!isObject(f)) {
        problems.push(
          `${where}: ${describeValue(f)} is not allowed; use { name } (logging.Filter) or { exclude }`,
        );
        continue;
      }
      unknownKeys(f, FILTER_KEYS, where, problems);
      if (f.name !== undefined && typeof f.name !== 'string') {
        problems.push(
          `${where}.name: ${describeValue(f.name)} is not allowed; use a logger name ('' keeps everything)`,
        );
      }
      const ex = f.exclude;
      if (
        ex !== undefined &&
        typeof ex !== 'string' &&
        !(Array.isArray(ex) && ex.every((e) => typeof e === 'string'))
      ) {
        problems.push(
          `${where}.exclude: ${describeValue(ex)} is not allowed; use a logger name or an array of names`,
        );
      }
      plan.filters.set(id, makeFilter(f));
    }
  }
  const filterIds = new Set(plan.filters.keys());
  const formatterIds = new Set(plan.formatters.keys());

  if (incremental) {
    for (const [id, h] of Object.entries(handlers)) {
      const where = `handlers.${id}`;
      if (!owned.has(id)) {
        problems.push(
          `${where}: no handler named ${describeValue(id)} was configured before; an incremental config only changes the level of existing handlers (${[...owned.keys()].join(', ') || 'none'})`,
        );
        continue;
      }
      if (!isObject(h)) {
        problems.push(`${where}: ${describeValue(h)} is not allowed; use { level }`);
        continue;
      }
      const plannedLevel = checkLevel(h.level, `${where}.level`, problems);
      plan.handlers.push({
        id,
        filters: [],
        options: {},
        ...(plannedLevel !== undefined ? { level: plannedLevel } : {}),
      });
    }
  } else {
    for (const id of Object.keys(handlers).sort()) {
      const h = checkHandler(id, handlers[id], formatterIds, filterIds, problems);
      if (h !== undefined) plan.handlers.push(h);
    }
  }
  const handlerIds = new Set(Object.keys(handlers));
  for (const [name, l] of Object.entries(loggers)) {
    const target = name === '' ? 'root' : name;
    const p = checkLogger(target, l, `loggers.${name}`, false, handlerIds, filterIds, incremental, problems);
    if (p !== undefined) plan.loggers.push(p);
  }
  if (config.root !== undefined) {
    plan.root = checkLogger('root', config.root, 'root', true, handlerIds, filterIds, incremental, problems);
  }
  return plan;
}

/**
 * Turns the short form into a dict config, and says how to rename the dict paths in error messages back
 * into the short form's keys.
 */
function fromShort(config: Dict, problems: Problems): { dict: Dict; renames: Array<[string, string]> } {
  unknownKeys(config, SHORT_KEYS, 'config', problems);
  const renames: Array<[string, string]> = [
    ['formatters.default', 'format'],
    ['root.level', 'level'],
  ];
  const fmt = config.format ?? SEED_FORMAT;
  const baseFormatter: Dict = { format: fmt };
  if (config.datefmt !== undefined) baseFormatter.datefmt = config.datefmt;
  if (config.style !== undefined) baseFormatter.style = config.style;
  const formatters: Dict = { default: baseFormatter };
  const handlers: Dict = {};
  const filters: Dict = {};
  const loggers: Record<string, Dict> = {};
  const rootHandlers: string[] = [];
  const sharedFilters: string[] = [];

  if (config.exclude !== undefined) {
    if (!Array.isArray(config.exclude) || !config.exclude.every((e) => typeof e === 'string')) {
      problems.push(`exclude: ${describeValue(config.exclude)} is not allowed; use an array of logger names`);
    } else {
      filters.exclude = { exclude: config.exclude };
      sharedFilters.push('exclude');
    }
  }
  const handlerFrom = (id: string, path: string, cls: string, raw: Dict): void => {
    renames.push([`handlers.${id}`, path]);
    const { format: own, ...rest } = raw;
    const entry: Dict = { class: cls, formatter: 'default', ...rest };
    if (own !== undefined) {
      formatters[id] = { ...baseFormatter, format: own };
      entry.formatter = id;
      renames.push([`formatters.${id}`, `${path}.format`]);
    }
    if (sharedFilters.length > 0) entry.filters = [...sharedFilters];
    handlers[id] = entry;
  };

  const consoleCfg = config.console ?? true;
  if (consoleCfg === true) handlerFrom('console', 'console', 'console', {});
  else if (isObject(consoleCfg)) handlerFrom('console', 'console', 'console', consoleCfg);
  else if (consoleCfg !== false) {
    problems.push(
      `console: ${describeValue(consoleCfg)} is not allowed; use true, false or { stream, level, color, format }`,
    );
  }
  if (handlers.console !== undefined) rootHandlers.push('console');

  const fileEntry = (value: unknown, path: string): Dict | undefined => {
    if (typeof value === 'string') return { filename: value };
    if (isObject(value)) return value;
    problems.push(
      `${path}: ${describeValue(value)} is not allowed; use a file name or { filename, maxBytes, backupCount }`,
    );
    return undefined;
  };
  if (config.file !== undefined) {
    const f = fileEntry(config.file, 'file');
    if (f !== undefined) {
      handlerFrom('file', 'file', 'rotating_file', f);
      rootHandlers.push('file');
    }
  }
  if (config.mongo !== undefined && config.mongodb !== undefined) {
    problems.push('mongodb: both mongo and mongodb are given; use one of them');
  }
  const mongoKey = config.mongo !== undefined ? 'mongo' : 'mongodb';
  const mongo = config[mongoKey];
  if (mongo !== undefined) {
    if (!isObject(mongo))
      problems.push(`${mongoKey}: ${describeValue(mongo)} is not allowed; use the MongoTransport options`);
    else {
      handlerFrom('mongodb', mongoKey, 'mongodb', mongo);
      rootHandlers.push('mongodb');
    }
  }
  if (config.levels !== undefined) {
    if (!isObject(config.levels))
      problems.push(`levels: ${describeValue(config.levels)} is not allowed; use { loggerName: level }`);
    else
      for (const [name, level] of Object.entries(config.levels)) {
        loggers[name] = { level };
        renames.push([`loggers.${name}.level`, `levels.${name}`]);
      }
  }
  if (config.errorFiles !== undefined) {
    if (!isObject(config.errorFiles)) {
      problems.push(
        `errorFiles: ${describeValue(config.errorFiles)} is not allowed; use { loggerName: 'file.log' }`,
      );
    } else
      for (const [name, value] of Object.entries(config.errorFiles)) {
        const f = fileEntry(value, `errorFiles.${name}`);
        if (f === undefined) continue;
        const id = `${name}_errors`;
        handlerFrom(id, `errorFiles.${name}`, 'rotating_file', { level: 'ERROR', ...f });
        const entry = loggers[name] ?? {};
        entry.handlers = [id];
        loggers[name] = entry;
      }
  }
  const dict: Dict = {
    version: 1,
    formatters,
    filters,
    handlers,
    loggers,
    root:
      config.level === undefined
        ? { handlers: rootHandlers }
        : { level: config.level, handlers: rootHandlers },
    disable_existing_loggers: config.disable_existing_loggers ?? false,
  };
  if (config.useEnv !== undefined) dict.useEnv = config.useEnv;
  return { dict, renames };
}

function rename(problem: string, renames: ReadonlyArray<[string, string]>): string {
  // The longest matching prefix wins (handlers.file.format must become file.format, not format).
  let best: [string, string] | undefined;
  for (const r of renames) {
    const [from] = r;
    if (
      problem.startsWith(from) &&
      /^[.:[]/.test(problem.slice(from.length)) &&
      (best === undefined || from.length > best[0].length)
    ) {
      best = r;
    }
  }
  return best === undefined ? problem : best[1] + problem.slice(best[0].length);
}

function readConfigFile(file: string, source: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(
      `${source}: ${describeValue(file)} could not be read (${err instanceof Error ? err.message : String(err)}); use the path of a JSON file`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ConfigError(
      `${source}: ${describeValue(file)} is not valid JSON (${err instanceof Error ? err.message : String(err)})`,
    );
  }
}

interface Built {
  formats: Map<string, Format>;
  filters: Map<string, LoggerFilter>;
  transports: Map<string, Transport>;
  created: Transport[];
  /** Files the built file handlers created (they did not exist before): removed again if the config fails. */
  newFiles: string[];
}

/** Handler kinds that open `filename` when built. */
const FILE_KINDS: ReadonlySet<string> = new Set(['file', 'rotating_file', 'timed_rotating_file']);

function build(plan: Plan, problems: Problems): Built {
  const built: Built = {
    formats: new Map(),
    filters: plan.filters,
    transports: new Map(),
    created: [],
    newFiles: [],
  };
  if (plan.incremental) return built;
  for (const [id, opts] of plan.formatters) {
    try {
      built.formats.set(id, pythonFormat(opts));
    } catch (err) {
      const msgs = ConfigError.is(err) ? err.problems : [err instanceof Error ? err.message : String(err)];
      for (const m of msgs) problems.push(`formatters.${id}: ${m}`);
    }
  }
  if (problems.length > 0) return built;
  let defaultFormat: Format | undefined;
  for (const h of plan.handlers) {
    if (h.given !== undefined) {
      built.transports.set(h.id, h.given);
      continue;
    }
    const parts: Format[] = h.filters.map((f) =>
      filterAsFormat(typeof f === 'string' ? (plan.filters.get(f) as LoggerFilter) : f),
    );
    // A handler without a formatter uses CPython's default Formatter: '%(message)s'.
    defaultFormat ??= pythonFormat({});
    parts.push(h.formatter !== undefined ? (built.formats.get(h.formatter) as Format) : defaultFormat);
    const filename = h.kind !== undefined && FILE_KINDS.has(h.kind) ? h.options.filename : undefined;
    const fresh = typeof filename === 'string' && !fs.existsSync(filename) ? filename : undefined;
    try {
      const t = buildHandler({
        kind: h.kind as HandlerKind,
        level: h.level === undefined ? undefined : winstonLevelName(h.level),
        format: parts.length === 1 ? (parts[0] as Format) : format.combine(...parts),
        options: h.options,
      });
      built.transports.set(h.id, t);
      built.created.push(t);
      if (fresh !== undefined && fs.existsSync(fresh)) built.newFiles.push(fresh);
    } catch (err) {
      const msgs = ConfigError.is(err) ? err.problems : [err instanceof Error ? err.message : String(err)];
      for (const m of msgs) problems.push(`handlers.${h.id}: ${m}`);
    }
  }
  return built;
}

/** Removes a file this call created, unless something was written to it meanwhile. */
function removeIfEmpty(file: string): void {
  try {
    if (fs.statSync(file).size === 0) fs.unlinkSync(file);
  } catch {
    // Already gone, or not ours to remove: leave it.
  }
}

/** Ends a transport after what it holds is written (winston's end() flushes, then 'finish'). */
function closeTransport(t: Transport): void {
  try {
    if (!t.writableEnded) t.end();
  } catch {
    // A transport that fails while closing must not stop the new configuration.
  }
}

function allLoggers(): ModuleLogger[] {
  const list = [...registry.loggers.values()];
  if (registry.root !== undefined) list.push(registry.root);
  return list;
}

function applyEnv(): void {
  const explicit = process.env.LOG_LEVEL;
  if (explicit !== undefined && explicit !== '') getRootLogger().setLevel(toLevelNo(explicit, 'LOG_LEVEL'));
  // A logger LOG_LEVELS names is configured, as a logger the config names: never left disabled (the
  // tree creates these loggers when it starts, so they always "exist" before a dict config runs).
  for (const [name, level] of parseLogLevels(process.env.LOG_LEVELS)) {
    const logger = createModuleLogger(name);
    logger.setLevel(level);
    if (logger !== getRootLogger()) logger.disabled = false;
  }
}

function apply(plan: Plan, built: Built): void {
  if (plan.incremental) {
    for (const h of plan.handlers) {
      const t = owned.get(h.id);
      if (t !== undefined && h.level !== undefined) t.level = winstonLevelName(h.level);
    }
    for (const l of plan.root === undefined ? plan.loggers : [...plan.loggers, plan.root]) {
      const logger = createModuleLogger(l.name);
      if (l.level !== undefined) logger.setLevel(l.level);
      if (l.propagate !== undefined) logger.propagate = l.propagate;
      if (l.name !== 'root') logger.disabled = false;
    }
    if (plan.useEnv) applyEnv();
    // Configured now: a record that finds no handler goes to the last resort (message only), as in
    // CPython, instead of installing the automatic seed-format console.
    registry.configured = true;
    bumpGeneration();
    return;
  }
  const previous = new Set(owned.values());
  // The automatic console was only there until the app configured logging.
  const auto = registry.defaultHandler;
  if (auto) previous.add(auto);
  registry.defaultHandler = undefined;
  const existing = [...registry.loggers.keys()];
  const root = getRootLogger();
  for (const logger of allLoggers())
    for (const t of [...logger.handlers]) if (previous.has(t)) logger.remove(t);
  for (const t of previous) closeTransport(t);
  owned.clear();
  for (const t of built.created) {
    for (const [id, bt] of built.transports) if (bt === t) owned.set(id, t);
  }
  const resolveFilter = (f: string | LoggerFilter): LoggerFilter =>
    typeof f === 'string' ? (built.filters.get(f) as LoggerFilter) : f;
  const configure = (logger: ModuleLogger, l: LoggerPlan): void => {
    if (l.level !== undefined) logger.setLevel(l.level);
    logger.clear();
    for (const id of l.handlers ?? []) logger.add(built.transports.get(id) as Transport);
    for (const f of l.filters) logger.addFilter(resolveFilter(f));
    if (l.propagate !== undefined) logger.propagate = l.propagate;
  };
  if (plan.root !== undefined) configure(root, plan.root);
  const named = new Set<string>();
  const children = new Set<string>();
  for (const l of plan.loggers) {
    if (l.name === 'root') {
      configure(root, l);
      continue;
    }
    named.add(l.name);
    // CPython's placeholders make a parent "exist" as soon as one of its dotted children does.
    for (const e of existing) if (e.startsWith(`${l.name}.`)) children.add(e);
    const logger = createModuleLogger(l.name);
    configure(logger, l);
    logger.disabled = false;
  }
  for (const name of existing) {
    if (named.has(name)) continue;
    const logger = registry.loggers.get(name);
    if (logger === undefined) continue;
    if (children.has(name)) {
      logger.setLevel(0);
      logger.clear();
      logger.propagate = true;
    } else {
      logger.disabled = plan.disableExisting;
    }
  }
  if (plan.useEnv) applyEnv();
  registry.configured = true;
  bumpGeneration();
}

/**
 * Configures the logger tree from CPython's `dictConfig` schema (`version: 1`), from the short form
 * (`{ level, format, console, file, mongo, levels, errorFiles, exclude }`), or from a JSON file holding
 * either (`configureLogging('logging.json')`; with no argument, the file named by `LOGGING_CONFIG`, else
 * the short form's defaults: a stderr console on the root with the seed format).
 *
 * Everything is validated and every handler is built before anything changes: a bad config throws one
 * {@link ConfigError} listing each problem with its path, and leaves logging as it was. A later call
 * ends (flushing first) the transports an earlier call built; transports the app passed in itself are
 * detached but never closed. `LOG_LEVEL` (root) and `LOG_LEVELS` (`database=info,auth=warning`) override
 * the levels of the config unless it says `useEnv: false`.
 *
 * @throws {@link ConfigError} for a bad config, naming every problem.
 * @example
 * ```ts
 * configureLogging({
 *   level: 'info',
 *   file: { filename: 'app.log', maxBytes: 1024 * 1024, backupCount: 3 },
 *   levels: { database: 'info', auth: 'warning' },
 *   errorFiles: { database: 'database-errors.log' },
 * });
 * ```
 */
export function configureLogging(config?: LoggingConfig | string): void {
  let raw: unknown = config;
  if (raw === undefined) {
    const file = process.env.LOGGING_CONFIG;
    raw = file !== undefined && file !== '' ? readConfigFile(file, 'LOGGING_CONFIG') : {};
  } else if (typeof raw === 'string') {
    raw = readConfigFile(raw, 'configureLogging(path)');
  }
  if (!isObject(raw)) {
    throw new ConfigError(
      `configureLogging: ${describeValue(raw)} is not allowed; use a dict config ({ version: 1, ... }), the short form ({ level, file, ... }) or a JSON file path`,
    );
  }
  const problems: Problems = [];
  checkUnsafeKeys(raw, '', problems, new Set());
  if (problems.length > 0) throw new ConfigError(problems);
  let dict = raw;
  let renames: Array<[string, string]> = [];
  if (!('version' in raw)) ({ dict, renames } = fromShort(raw, problems));
  const plan = checkDict(dict, problems);
  if (plan !== undefined && plan.useEnv) {
    try {
      parseLogLevels(process.env.LOG_LEVELS);
      const explicit = process.env.LOG_LEVEL;
      if (explicit !== undefined && explicit !== '') toLevelNo(explicit, 'LOG_LEVEL');
    } catch (err) {
      problems.push(...(ConfigError.is(err) ? err.problems : [String(err)]));
    }
  }
  if (problems.length > 0 || plan === undefined)
    throw new ConfigError(problems.map((p) => rename(p, renames)));
  const built = build(plan, problems);
  if (problems.length > 0) {
    for (const t of built.created) closeTransport(t);
    // Nothing changes on a bad config: not even an empty log file a handler built before the failing one opened.
    for (const f of built.newFiles) removeIfEmpty(f);
    throw new ConfigError(problems.map((p) => rename(p, renames)));
  }
  apply(plan, built);
}

/**
 * Ends every transport configureLogging built (flushing first) and resolves when each has finished.
 * Used by `shutdown()`; transports the app passed in are left to their owner.
 */
export async function closeConfiguredHandlers(): Promise<void> {
  const list = [...owned.values()];
  owned.clear();
  for (const logger of allLoggers())
    for (const t of [...logger.handlers]) if (list.includes(t)) logger.remove(t);
  await Promise.all(
    list.map(
      (t) =>
        new Promise<void>((resolve) => {
          if (t.writableFinished || t.destroyed) return resolve();
          t.once('finish', () => resolve());
          t.once('close', () => resolve());
          t.once('error', () => resolve());
          closeTransport(t);
        }),
    ),
  );
}
