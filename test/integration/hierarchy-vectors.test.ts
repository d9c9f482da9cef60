import * as fs from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import type { Format, TransformableInfo } from 'logform';
import { LEVEL } from 'triple-beam';
import { matchesLoggerName } from '../../formats/module-filter';
import { pythonFormat } from '../../formats/python-format';
import { configureLogging } from '../../src/config/configure-logging';
import {
  createModuleLogger,
  disableLogging,
  getRootLogger,
  resetLogging,
} from '../../src/logger/create-module-logger';
import { registry } from '../../src/logger/registry';
import { addLevelName, getLevelName, levelInfo, toLevelNo, winstonLevelName } from '../../src/record/levels';
import type { LevelLike } from '../../src/record/levels';
import { addHandlerFilter } from '../../src/logger/dispatch';
import type { ModuleLogger } from '../../src/logger/module-logger';
import { setPythonCompat } from '../../src/logger/python-compat';
import { PY_RECORD, loggerNameOf } from '../../src/record/record';
import type { RecordContext } from '../../src/record/record';
import { MemoryTransport } from '../helpers/memory-transport';

interface Row {
  id: string;
  default_format: string;
  ops: Array<Record<string, unknown>>;
  expected: Record<string, string[]>;
  results: Array<Record<string, unknown>>;
}

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'python-logging');
const rows: Row[] = fs
  .readFileSync(path.join(FIXTURES, 'hierarchy.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Row);
const exclusions = JSON.parse(
  fs.readFileSync(path.join(FIXTURES, 'hierarchy-exclusions.json'), 'utf8'),
) as Record<string, string>;

/** Python level numbers of the standard names, for the vectors' `query` op. */
const QUERY_LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'] as const;

function levelnoOf(info: TransformableInfo): number {
  const ctx = (info as { [PY_RECORD]?: RecordContext })[PY_RECORD];
  if (ctx?.levelno !== undefined) return ctx.levelno;
  const l = (info as Record<symbol, unknown>)[LEVEL] ?? info.level;
  return levelInfo(String(l)).levelno;
}

/** A vector filter spec as a function of the record (the bundle's filter shape). */
function makeFilter(spec: Record<string, unknown>): (info: TransformableInfo) => boolean {
  switch (spec.type) {
    case 'name':
      return (info) => matchesLoggerName(String(spec.name), loggerNameOf(info));
    case 'exclude_startswith':
      return (info) => !loggerNameOf(info).startsWith(String(spec.prefix));
    case 'exclude_name':
      return (info) => !matchesLoggerName(String(spec.name), loggerNameOf(info));
    case 'max_level':
      return (info) => levelnoOf(info) <= toLevelNo(spec.level);
    case 'add_attr':
      return (info) => {
        (info as Record<string, unknown>)[String(spec.attr)] = spec.value;
        return true;
      };
    case 'reject_all':
      return () => false;
    default:
      throw new Error(`unknown filter spec ${String(spec.type)}`);
  }
}

interface Handler {
  transport: MemoryTransport;
  base: Format | undefined;
  filters: Array<(info: TransformableInfo) => boolean>;
}

/** Handler filters are Python's (shared record, see addHandlerFilter); the format is the handler's formatter. */
function rebuild(h: Handler, fallback: Format): void {
  for (const f of h.filters) addHandlerFilter(h.transport, f);
  h.transport.format = h.base ?? fallback;
}

/** Runs one row through the bundle's API; returns what each handler and stderr received, and the op results. */
function run(row: Row): { out: Record<string, string[]>; results: Array<Record<string, unknown>> } {
  resetLogging();
  // The vectors are CPython's behaviour, so the rows run in Python compatibility mode.
  setPythonCompat(true);
  // A fresh CPython interpreter: root at WARNING, nothing auto-configured except what the row does.
  const root = getRootLogger();
  root.setLevel('WARNING');
  registry.configured = true;
  const handlers = new Map<string, Handler>();
  const captures = new Map<string, string>();
  const results: Array<Record<string, unknown>> = [];
  let stderr = '';
  const realWrite = process.stderr.write.bind(process.stderr);
  let noHandlerWarned = false;
  process.stderr.write = (chunk: unknown) => {
    stderr += String(chunk);
    return true;
  };
  const defaultFormat = pythonFormat({ format: row.default_format });
  const plainFormat = pythonFormat({});
  const logger = (name: unknown): ModuleLogger =>
    name === '' || name === 'root' || name === undefined ? root : createModuleLogger(String(name));
  const basicConfig = (kw: Record<string, unknown> = {}): void => {
    if (kw.force === true) for (const t of [...root.handlers]) root.removeHandler(t);
    if (root.handlers.length > 0) return;
    const fmt = pythonFormat({
      format: typeof kw.format === 'string' ? kw.format : '%(levelname)s:%(name)s:%(message)s',
    });
    let list: Handler[];
    if (Array.isArray(kw.handlers)) list = kw.handlers.map((id) => handlers.get(String(id)) as Handler);
    else {
      const h: Handler = { transport: new StderrTransport(), base: undefined, filters: [] };
      list = [h];
    }
    for (const h of list) {
      if (h.base === undefined) h.base = fmt;
      rebuild(h, fmt);
      root.addHandler(h.transport);
    }
    if (kw.level !== undefined) root.setLevel(kw.level as LevelLike);
  };
  try {
    row.ops.forEach((op, i) => {
      try {
        switch (op.op) {
          case 'handler': {
            const h: Handler = {
              transport: new MemoryTransport(),
              base:
                op.format === null
                  ? undefined
                  : op.format === undefined
                    ? defaultFormat
                    : pythonFormat({
                        format: String(op.format),
                        ...(op.datefmt ? { datefmt: String(op.datefmt) } : {}),
                      }),
              filters: ((op.filters as Array<Record<string, unknown>> | undefined) ?? []).map(makeFilter),
            };
            if (op.level !== undefined) h.transport.level = winstonLevelName(toLevelNo(op.level));
            rebuild(h, plainFormat);
            handlers.set(String(op.id), h);
            break;
          }
          case 'addHandler':
            logger(op.logger).addHandler((handlers.get(String(op.handler)) as Handler).transport);
            break;
          case 'removeHandler':
            logger(op.logger).removeHandler((handlers.get(String(op.handler)) as Handler).transport);
            break;
          case 'setLevel':
            logger(op.logger).setLevel(op.level as LevelLike);
            break;
          case 'setLevelAttr':
            (logger(op.logger) as unknown as { level: unknown }).level = op.level;
            break;
          case 'setHandlerLevel':
            (handlers.get(String(op.handler)) as Handler).transport.level = winstonLevelName(
              toLevelNo(op.level),
            );
            break;
          case 'propagate':
            logger(op.logger).propagate = Boolean(op.value);
            break;
          case 'disabled':
            logger(op.logger).disabled = Boolean(op.value);
            break;
          case 'addFilter': {
            const f = makeFilter(op.filter as Record<string, unknown>);
            if (op.handler !== undefined) {
              const h = handlers.get(String(op.handler)) as Handler;
              h.filters.push(f);
              rebuild(h, plainFormat);
            } else logger(op.logger).addFilter(f);
            break;
          }
          case 'disable':
            disableLogging(op.level === undefined ? 50 : (op.level as string));
            break;
          case 'addLevelName':
            addLevelName(Number(op.level), String(op.name));
            break;
          case 'levelName':
            results.push({ op: i, value: getLevelName(op.value as string) });
            break;
          case 'lastResort':
            registry.lastResort = false;
            break;
          case 'log': {
            const l = logger(op.logger);
            const args = [...((op.args as unknown[] | undefined) ?? [])];
            const meta: Record<string, unknown> = {};
            if (op.exc_info !== undefined) meta.exc_info = op.exc_info;
            if (op.extra !== undefined) meta.extra = op.extra;
            if (Object.keys(meta).length > 0) args.push(meta);
            // A numeric level has no method of its own: Python's vectors then call logger.log(level, ...).
            const method =
              (op.method as string | undefined) ??
              (typeof op.level === 'number' ? 'log' : String(op.level).toLowerCase());
            if (method === 'log') (l.log as (...a: unknown[]) => unknown)(op.level, op.msg, ...args);
            else (l as unknown as Record<string, (...a: unknown[]) => void>)[method]?.(op.msg, ...args);
            if (!registry.lastResort && !noHandlerWarned && !l.hasHandlers()) {
              noHandlerWarned = true;
              stderr += `No handlers could be found for logger "${l.name}"\n`;
            }
            break;
          }
          case 'module_log': {
            if (root.handlers.length === 0) basicConfig();
            const args = (op.args as unknown[] | undefined) ?? [];
            (root as unknown as Record<string, (...a: unknown[]) => void>)[String(op.method)]?.(
              op.msg,
              ...args,
            );
            break;
          }
          case 'getLogger':
            results.push({ op: i, name: logger(op.name).name });
            break;
          case 'getChild':
            results.push({ op: i, name: logger(op.logger).getChild(String(op.suffix)).name });
            break;
          case 'basicConfig':
            basicConfig(op.kwargs as Record<string, unknown> | undefined);
            break;
          case 'dictConfig': {
            const config = JSON.parse(JSON.stringify(op.config)) as Record<string, unknown>;
            for (const h of Object.values(
              (config.handlers as Record<string, Record<string, unknown>>) ?? {},
            )) {
              const s = h.stream;
              if (typeof s === 'string' && s.startsWith('cap://')) {
                const id = s.slice('cap://'.length);
                captures.set(id, captures.get(id) ?? '');
                h.stream = new Writable({
                  write(chunk: Buffer, _enc, cb) {
                    captures.set(id, (captures.get(id) ?? '') + chunk.toString());
                    cb();
                  },
                });
              }
            }
            configureLogging({ useEnv: false, ...config });
            break;
          }
          case 'query': {
            const l = logger(op.logger);
            const enabled: Record<string, boolean> = {};
            for (const n of QUERY_LEVELS) enabled[n] = l.isEnabledFor(n);
            results.push({
              op: i,
              name: l.name,
              level: l.levelno,
              effective: l.getEffectiveLevel(),
              parent: l.parent === null ? null : l.parent.name,
              propagate: l.propagate,
              disabled: l.disabled,
              hasHandlers: l.hasHandlers(),
              handlers: l.handlers.length,
              enabled,
            });
            break;
          }
          default:
            throw new Error(`unknown op ${String(op.op)}`);
        }
      } catch (err) {
        results.push({ op: i, raises: err instanceof Error ? err.name : 'Error', error: String(err) });
      }
    });
  } finally {
    process.stderr.write = realWrite;
    setPythonCompat(false);
  }
  const out: Record<string, string[]> = {};
  for (const [id, h] of handlers) out[id] = h.transport.lines;
  const split = (text: string): string[] => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));
  for (const [id, text] of captures) out[id] = split(text);
  out.stderr = split(stderr);
  return { out, results };
}

/** basicConfig()'s default StreamHandler(sys.stderr), as a transport writing to the (captured) stderr. */
class StderrTransport extends MemoryTransport {
  override log(info: TransformableInfo, next: () => void): void {
    super.log(info, () => undefined);
    const lines = this.text;
    this.text = '';
    process.stderr.write(lines);
    next();
  }
}

/** Compares only what the row states: each expected output, and each result that is not an exception text. */
function mismatches(row: Row): string[] {
  const { out, results } = run(row);
  const problems: string[] = [];
  for (const [id, lines] of Object.entries(row.expected)) {
    const got = out[id] ?? [];
    if (JSON.stringify(got) !== JSON.stringify(lines)) {
      problems.push(`${id}: expected ${JSON.stringify(lines)}, got ${JSON.stringify(got)}`);
    }
  }
  for (const want of row.results) {
    const got = results.find((r) => r.op === want.op);
    if (want.raises !== undefined) {
      if (got?.raises === undefined)
        problems.push(`op ${String(want.op)}: expected ${String(want.raises)}, nothing thrown`);
      continue;
    }
    const { op: _op, ...fields } = want;
    const gotFields = got === undefined ? undefined : (({ op: _o, ...rest }) => rest)(got);
    if (JSON.stringify(gotFields) !== JSON.stringify(fields)) {
      problems.push(
        `op ${String(want.op)}: expected ${JSON.stringify(fields)}, got ${JSON.stringify(gotFields)}`,
      );
    }
  }
  // An op that threw where CPython did not is a difference too.
  for (const r of results) {
    if (r.raises !== undefined && !row.results.some((w) => w.op === r.op && w.raises !== undefined)) {
      problems.push(`op ${String(r.op)}: threw ${String(r.error)}`);
    }
  }
  return problems;
}

describe('CPython hierarchy vectors (test/fixtures/python-logging/hierarchy.jsonl)', () => {
  afterAll(() => resetLogging());

  const passing = rows.filter((r) => exclusions[r.id] === undefined);
  it.each(passing.map((r) => [r.id, r] as const))('%s', (_id, row) => {
    expect(mismatches(row)).toEqual([]);
  });

  const excluded = rows.filter((r) => exclusions[r.id] !== undefined);
  it.each(excluded.map((r) => [r.id, r] as const))(
    '%s still differs (listed in hierarchy-exclusions.json)',
    (_id, row) => {
      expect(mismatches(row).length).toBeGreaterThan(0);
    },
  );

  it('passes at least 95% of the rows', () => {
    // The bar; every excluded row is listed with its reason and asserted to still differ.
    expect(passing.length / rows.length).toBeGreaterThanOrEqual(0.95);
    for (const id of Object.keys(exclusions)) expect(rows.some((r) => r.id === id)).toBe(true);
  });
});
