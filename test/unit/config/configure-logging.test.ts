import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { configureLogging } from '../../../src/config/configure-logging';
import { createModuleLogger, getRootLogger, resetLogging } from '../../../src/logger/create-module-logger';
import { ConfigError } from '../../../src/errors';
import { MemoryTransport } from '../../helpers/memory-transport';

function capture(): { stream: Writable; lines: () => string[] } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      text += chunk.toString();
      cb();
    },
  });
  return { stream, lines: () => (text === '' ? [] : text.replace(/\n$/, '').split('\n')) };
}

function problemsOf(fn: () => void): readonly string[] {
  try {
    fn();
  } catch (err) {
    if (ConfigError.is(err)) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

const ENV_KEYS = ['LOG_LEVEL', 'LOG_LEVELS', 'NODE_ENV', 'LOGGING_CONFIG'] as const;
const saved: Record<string, string | undefined> = {};
let dir: string;

beforeEach(() => {
  for (const k of ENV_KEYS) {
    saved[k] = process.env[k];
    delete process.env[k];
  }
  resetLogging();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'configure-logging-'));
});
afterEach(() => {
  for (const k of ENV_KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  resetLogging();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('configureLogging: validation', () => {
  it.each(['rotating_file', 'timed_rotating_file'])(
    'an unknown option of class %s is a ConfigError naming it, and nothing is created',
    (cls) => {
      const filename = path.join(dir, 't.log');
      const text = problemsOf(() =>
        configureLogging({
          version: 1,
          handlers: { t: { class: cls, filename, zzz: 1 } },
          root: { handlers: ['t'] },
        } as never),
      ).join('\n');
      expect(text).toMatch(/handlers\.t.*zzz.*1/);
      expect(text).toContain('filename');
      expect(fs.existsSync(filename)).toBe(false);
    },
  );

  it('reports every problem with its path, the value and what is allowed, and changes nothing', () => {
    const before = createModuleLogger('keep');
    const t = new MemoryTransport();
    getRootLogger().addHandler(t);
    const problems = problemsOf(() =>
      configureLogging({
        version: 1,
        formatters: { f: { format: '%(message)s', colour: true } as never },
        handlers: {
          file: { class: 'rotating_file', filename: path.join(dir, 'a.log'), maxBytes: -1 },
          bad: { class: 'logging.handlers.SysLogHandler' },
          c: { class: 'console', stream: 'ext://sys.stdin', formatter: 'nope' },
        },
        loggers: { app: { level: 'LOUD', handlers: ['missing'], propagate: 'yes' as never } },
        extra: 1,
      } as never),
    );
    const text = problems.join('\n');
    expect(text).toContain('config.extra: unknown key');
    expect(text).toContain('formatters.f.colour: unknown key');
    expect(text).toContain('handlers.file.maxBytes: -1 is not allowed; use an integer >= 0');
    expect(text).toContain('handlers.bad.class: "logging.handlers.SysLogHandler" is not allowed; use one of');
    expect(text).toContain('handlers.c.stream: "ext://sys.stdin" is not allowed');
    expect(text).toContain(
      'handlers.c.formatter: "nope" is not allowed; use one of the ids in formatters (f)',
    );
    expect(text).toContain('loggers.app.level');
    expect(text).toContain('loggers.app.handlers[0]: "missing" is not allowed');
    expect(text).toContain('loggers.app.propagate: "yes" is not allowed; use true or false');
    expect(problems.length).toBeGreaterThanOrEqual(9);
    // Nothing applied: the hand-added handler is still there, no file was created.
    expect(getRootLogger().handlers).toEqual([t]);
    expect(before.disabled).toBe(false);
    expect(fs.existsSync(path.join(dir, 'a.log'))).toBe(false);
  });

  it('leaves no file behind when a handler built after the file handlers fails (short form, mongo without uri)', () => {
    const existing = path.join(dir, 'existing.log');
    fs.writeFileSync(existing, '');
    const problems = problemsOf(() =>
      configureLogging({
        console: false,
        file: { filename: path.join(dir, 'app.log') },
        errorFiles: { database: existing },
        mongo: { level: 'ERROR' },
      }),
    );
    expect(problems.join('\n')).toContain('option "uri" is undefined; expected uri');
    // The handlers before the failing one were built (their files opened) and are removed again; a file that
    // was there before is left alone.
    expect(fs.readdirSync(dir)).toEqual(['existing.log']);
  });

  it('requires version 1 in the dict form', () => {
    expect(problemsOf(() => configureLogging({ version: 2 } as never))).toEqual([
      'version: 2 is not allowed; use 1',
    ]);
  });

  it('names short-form problems by their short-form paths', () => {
    const problems = problemsOf(() =>
      configureLogging({
        file: { filename: path.join(dir, 'x.log'), maxBytes: 'big' as never },
        levels: { db: 'chatty' },
        console: 3 as never,
        bogus: 1,
      } as never),
    );
    const text = problems.join('\n');
    expect(text).toContain('file.maxBytes: "big" is not allowed');
    expect(text).toContain('levels.db');
    expect(text).toContain('console: 3 is not allowed');
    expect(text).toContain('config.bogus: unknown key');
  });

  it('reports an unreadable or invalid JSON file', () => {
    expect(() => configureLogging(path.join(dir, 'missing.json'))).toThrow(/could not be read/);
    fs.writeFileSync(path.join(dir, 'bad.json'), '{ nope');
    expect(() => configureLogging(path.join(dir, 'bad.json'))).toThrow(/is not valid JSON/);
  });

  it('rejects a bad LOG_LEVELS before applying anything', () => {
    process.env.LOG_LEVELS = 'db=loud';
    const root = (() => {
      delete process.env.LOG_LEVELS;
      const r = getRootLogger();
      process.env.LOG_LEVELS = 'db=loud';
      return r;
    })();
    expect(() => configureLogging({ console: false, level: 'ERROR' })).toThrow(/LOG_LEVELS.db: "loud"/);
    expect(root.handlers).toHaveLength(0);
    expect(root.levelno).not.toBe(40);
  });
});

describe('configureLogging: dict form', () => {
  it('builds formatters, filters and handlers with CPython semantics', () => {
    const out = capture();
    configureLogging({
      version: 1,
      formatters: { f: { format: '%(name)s|%(levelname)s|%(message)s' } },
      filters: { no_auth: { exclude: 'auth' }, only_app: { name: 'app' } },
      handlers: {
        out: {
          class: 'logging.StreamHandler',
          stream: out.stream as never,
          formatter: 'f',
          filters: ['no_auth'],
        },
      },
      loggers: { app: { level: 'DEBUG' } },
      root: { level: 'WARNING', handlers: ['out'] },
    });
    createModuleLogger('app').debug('a %s', 'b');
    createModuleLogger('auth').error('hidden');
    createModuleLogger('authz').error('kept');
    createModuleLogger('other').info('below root');
    expect(out.lines()).toEqual(['app|DEBUG|a b', 'authz|ERROR|kept']);
  });

  it('disables existing loggers not named (default) and resets children of named ones', () => {
    const early = createModuleLogger('early');
    const child = createModuleLogger('app.child');
    child.setLevel('ERROR');
    configureLogging({ version: 1, loggers: { app: { level: 'INFO' } } });
    expect(early.disabled).toBe(true);
    expect(child.levelno).toBe(0);
    expect(child.disabled).toBe(false);
    configureLogging({ version: 1, disable_existing_loggers: false });
    expect(early.disabled).toBe(false);
  });

  it('incremental: changes only handler levels and logger levels/propagate', () => {
    const out = capture();
    configureLogging({
      version: 1,
      handlers: { out: { class: 'console', stream: out.stream as never, level: 'DEBUG' } },
      loggers: { app: { level: 'DEBUG', handlers: ['out'], propagate: false } },
    });
    const app = createModuleLogger('app');
    app.debug('one');
    configureLogging({
      version: 1,
      incremental: true,
      handlers: { out: { level: 'ERROR' } },
      loggers: { app: { level: 'INFO' } },
    });
    app.info('two');
    app.error('three');
    expect(out.lines()).toEqual(['one', 'three']);
    expect(() =>
      configureLogging({ version: 1, incremental: true, handlers: { nope: { level: 'ERROR' } } }),
    ).toThrow(/no handler named "nope"/);
  });

  it('ends the transports it built when replaced, but never a transport the app passed in', async () => {
    const mine = new MemoryTransport();
    configureLogging({
      version: 1,
      handlers: { mine, file: { class: 'file', filename: path.join(dir, 'f.log') } },
      root: { handlers: ['mine', 'file'] },
    });
    const file = getRootLogger().handlers.find((t) => t !== mine);
    expect(file).toBeDefined();
    getRootLogger().warning('before');
    configureLogging({ version: 1, root: { handlers: [] } });
    await new Promise<void>((resolve) =>
      file?.writableFinished ? resolve() : file?.once('finish', () => resolve()),
    );
    expect(fs.readFileSync(path.join(dir, 'f.log'), 'utf8')).toBe('before\n');
    // winston-transport is a readable-stream Writable: its ended flag lives in _writableState.
    expect((mine as unknown as { _writableState: { ended: boolean } })._writableState.ended).toBe(false);
    expect(getRootLogger().handlers).toEqual([]);
  });

  it('null handler counts as a handler (no last resort)', () => {
    configureLogging({ version: 1, handlers: { n: { class: 'null' } }, root: { handlers: ['n'] } });
    expect(getRootLogger().hasHandlers()).toBe(true);
  });
});

describe('configureLogging: short form and environment', () => {
  it('console defaults to stderr with the seed format; levels and errorFiles apply', async () => {
    const errFile = path.join(dir, 'database-errors.log');
    const writes: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
      writes.push(String(chunk));
      return true;
    });
    try {
      configureLogging({ level: 'INFO', levels: { database: 'info' }, errorFiles: { database: errFile } });
      const db = createModuleLogger('database');
      db.info('ok');
      db.error('failed');
    } finally {
      spy.mockRestore();
    }
    expect(writes.join('')).toMatch(/ - database - INFO - ok\n.* - database - ERROR - failed\n$/);
    const t = getRootLogger().handlers[0];
    expect(t).toBeDefined();
    const errT = createModuleLogger('database').handlers[0] as unknown as { flush(): Promise<void> };
    await errT.flush();
    expect(fs.readFileSync(errFile, 'utf8')).toMatch(/^\S+ \S+ - database - ERROR - failed\n$/);
  });

  it('root level: NODE_ENV=production → INFO, else DEBUG; LOG_LEVEL and LOG_LEVELS override the config', () => {
    process.env.NODE_ENV = 'production';
    resetLogging();
    configureLogging({ console: false });
    expect(getRootLogger().getEffectiveLevel()).toBe(20);
    delete process.env.NODE_ENV;
    resetLogging();
    configureLogging({ console: false });
    expect(getRootLogger().getEffectiveLevel()).toBe(10);
    process.env.LOG_LEVEL = 'warning';
    process.env.LOG_LEVELS = 'database=error';
    configureLogging({ console: false, level: 'INFO', levels: { database: 'debug' } });
    expect(getRootLogger().levelno).toBe(30);
    expect(createModuleLogger('database').levelno).toBe(40);
    configureLogging({ console: false, level: 'INFO', useEnv: false });
    expect(getRootLogger().levelno).toBe(20);
  });

  it('loads LOGGING_CONFIG when called without an argument', () => {
    const file = path.join(dir, 'logging.json');
    fs.writeFileSync(file, JSON.stringify({ version: 1, root: { level: 'ERROR' } }));
    process.env.LOGGING_CONFIG = file;
    configureLogging();
    expect(getRootLogger().levelno).toBe(40);
  });
});
