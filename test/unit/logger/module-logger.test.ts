import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { pythonFormat } from '../../../formats/python-format';
import '../../../src/config/configure-logging';
import {
  createModuleLogger,
  getLogger,
  getRootLogger,
  moduleName,
  parseLogLevels,
  resetLogging,
} from '../../../src/logger/create-module-logger';
import { ConfigError } from '../../../src/errors';
import { registry } from '../../../src/logger/registry';
import { MemoryTransport } from '../../helpers/memory-transport';

const fmt = (): ReturnType<typeof pythonFormat> =>
  pythonFormat({ format: '%(name)s:%(levelname)s:%(message)s' });

beforeEach(() => {
  delete process.env.LOG_LEVELS;
  delete process.env.LOG_LEVEL;
  resetLogging();
});
afterAll(() => resetLogging());

describe('module loggers', () => {
  it('are cached per name; "", "root" and no name are the root; getLogger is the same function', () => {
    expect(createModuleLogger('a')).toBe(getLogger('a'));
    expect(createModuleLogger()).toBe(getRootLogger());
    expect(createModuleLogger('')).toBe(getRootLogger());
    expect(createModuleLogger('root')).toBe(getRootLogger());
    expect(createModuleLogger('a').getChild('b').name).toBe('a.b');
    expect(getRootLogger().getChild('x.y').name).toBe('x.y');
    expect(() => createModuleLogger(5 as never)).toThrow(ConfigError);
  });

  it('setLevel and the level setter both change the effective level; NOTSET inherits', () => {
    const root = getRootLogger();
    root.setLevel('WARNING');
    const a = createModuleLogger('a');
    const ab = createModuleLogger('a.b');
    expect(ab.isEnabledFor('INFO')).toBe(false);
    a.level = 'debug';
    expect(ab.getEffectiveLevel()).toBe(10);
    expect(ab.level).toBe('debug');
    expect(ab.isLevelEnabled('debug')).toBe(true);
    a.setLevel(0);
    expect(ab.getEffectiveLevel()).toBe(30);
  });

  it('a shared transport applies each logger’s own level, and closing one logger leaves it open for the others', () => {
    const shared = new MemoryTransport({ format: fmt() });
    const db = createModuleLogger('db', { level: 'ERROR', transports: shared, propagate: false });
    const api = createModuleLogger('api', { level: 'DEBUG', transports: shared, propagate: false });
    db.info('dropped');
    db.error('db error');
    api.debug('api debug');
    db.close();
    api.info('still open');
    expect(shared.lines).toEqual(['db:ERROR:db error', 'api:DEBUG:api debug', 'api:INFO:still open']);
    expect((shared as unknown as { _writableState: { ended: boolean } })._writableState.ended).toBe(false);
  });

  it('propagation checks handler levels only; disabled and logger filters stop only the own records', () => {
    const rootT = new MemoryTransport({ format: fmt(), level: 'info' });
    const root = getRootLogger();
    root.setLevel('ERROR');
    root.addHandler(rootT);
    const parent = createModuleLogger('p', { level: 'CRITICAL' });
    const rejectAll = (): boolean => false;
    parent.addFilter(rejectAll);
    const child = createModuleLogger('p.c', { level: 'DEBUG' });
    child.debug('below the handler level');
    child.info('passes');
    parent.critical('own record, filtered');
    parent.removeFilter(rejectAll);
    parent.disabled = true;
    parent.critical('disabled');
    child.warning('child of a disabled parent');
    child.propagate = false;
    // With no handler of its own and propagation off, the record goes to the last resort (stderr), not the root.
    const lastResort: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((c: unknown) => {
      lastResort.push(String(c));
      return true;
    });
    try {
      child.error('stops here');
    } finally {
      spy.mockRestore();
    }
    expect(lastResort.join('')).toContain('stops here');
    expect(rootT.lines).toEqual(['p.c:INFO:passes', 'p.c:WARNING:child of a disabled parent']);
  });

  it('last resort: WARNING+ to stderr when no handler exists and logging was configured', () => {
    registry.configured = true;
    const writes: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((c: unknown) => {
      writes.push(String(c));
      return true;
    });
    try {
      const l = createModuleLogger('lonely');
      l.info('never');
      l.warning('to %s', 'stderr');
    } finally {
      spy.mockRestore();
    }
    expect(writes).toEqual(['to stderr\n']);
  });

  it('with no configuration at all, the first record installs a stderr console with the seed format', () => {
    const writes: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((c: unknown) => {
      writes.push(String(c));
      return true;
    });
    try {
      getRootLogger().setLevel('INFO');
      createModuleLogger('fresh').info('hello');
    } finally {
      spy.mockRestore();
    }
    expect(writes.join('')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} - fresh - INFO - hello\n$/);
    expect(getRootLogger().handlers).toHaveLength(1);
  });

  it('LOG_LEVELS sets module levels when the logger is created; bad entries are a ConfigError', () => {
    process.env.LOG_LEVELS = 'database=info, auth=WARNING';
    resetLogging();
    expect(createModuleLogger('database').levelno).toBe(20);
    expect(createModuleLogger('auth').levelno).toBe(30);
    expect(() => parseLogLevels('x')).toThrow(/LOG_LEVELS\[0\]: "x" is not allowed; use name=level/);
  });

  describe('LOG_LEVELS in a real process', () => {
    const api = path.join(__dirname, '../../../src/index.ts');
    /** Runs `body` in a fresh node with LOG_LEVELS set; returns its stderr (the automatic console's). */
    const run = (logLevels: string, body: string): string => {
      const script = `const { getLogger, configureLogging } = require(${JSON.stringify(api)});\n${body}`;
      const r = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', script], {
        encoding: 'utf8',
        env: { ...process.env, LOG_LEVEL: '', LOG_LEVELS: logLevels, LOGGING_CONFIG: '', NODE_ENV: '' },
      });
      expect(r.status).toBe(0);
      return r.stderr.replace(/^\S+ \S+ - /gm, '').trim();
    };

    it("a level for a parent name applies to its children whatever the creation order (as dictConfig's loggers)", () => {
      const childFirst = run(
        'auth=warning',
        `getLogger('auth.login').info('dropped'); getLogger('auth.login').warning('kept');`,
      );
      const parentFirst = run(
        'auth=warning',
        `getLogger('auth'); getLogger('auth.login').info('dropped'); getLogger('auth.login').warning('kept');`,
      );
      expect([childFirst, parentFirst]).toEqual([
        'auth.login - WARNING - kept',
        'auth.login - WARNING - kept',
      ]);
    });

    it('root= sets the root, and a creating call that names a level still wins', () => {
      const out = run(
        'root=error,db=info',
        `getLogger('x').warning('dropped'); getLogger('x').error('kept');
         const db = getLogger('db', { level: 'debug' }); db.debug('db debug');`,
      );
      expect(out).toBe('x - ERROR - kept\ndb - DEBUG - db debug');
    });

    it("a dict config does not disable a logger LOG_LEVELS names (it configures it, as the config's loggers)", () => {
      const out = run(
        'auth=warning',
        `getLogger('main');
         configureLogging({ version: 1, handlers: { c: { class: 'logging.StreamHandler', formatter: 'f' } },
           formatters: { f: { format: '%(asctime)s - %(name)s - %(levelname)s - %(message)s' } },
           root: { level: 'DEBUG', handlers: ['c'] } });
         getLogger('auth.login').info('dropped'); getLogger('auth').warning('kept');`,
      );
      expect(out).toBe('auth - WARNING - kept');
    });
  });

  it('moduleName: the entry module is __main__, others are dotted paths from its folder', () => {
    const entry = require.main?.filename ?? process.argv[1] ?? '';
    expect(moduleName(entry)).toBe('__main__');
    const dir = path.dirname(path.resolve(entry));
    expect(moduleName(path.join(dir, 'lib', 'db.ts'))).toBe('lib.db');
    expect(moduleName(path.join(dir, 'lib', 'index.js'))).toBe('lib');
    expect(() => moduleName(3 as never)).toThrow(ConfigError);
  });
});
