import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TransformableInfo } from 'logform';
import { MESSAGE } from 'triple-beam';
import winston from 'winston';
import type Transport from 'winston-transport';
import { pythonFormat } from '../../../formats/python-format';
import '../../../src/config/configure-logging';
import { createModuleLogger, getRootLogger, resetLogging } from '../../../src/logger/create-module-logger';
import { addHandlerFilter } from '../../../src/logger/dispatch';
import { registry } from '../../../src/logger/registry';
import { RotatingFileTransport } from '../../../transports/rotating-file';
import { MemoryTransport } from '../../helpers/memory-transport';
import { captureStderr } from '../../helpers/capture-stderr';

beforeEach(() => {
  delete process.env.LOG_LEVELS;
  delete process.env.LOG_LEVEL;
  resetLogging();
});
afterAll(() => resetLogging());

/** A transport whose format notes its tag in `order` (then renders the bare message). */
function tagged(tag: string, order: string[], options: { level?: string } = {}): MemoryTransport {
  return new MemoryTransport({
    ...options,
    format: winston.format((info) => {
      order.push(tag);
      (info as Record<symbol, unknown>)[MESSAGE] = String(info.message);
      return info;
    })(),
  });
}

describe("Python's handler walk", () => {
  it("own handlers first, then each ancestor's while propagate holds", () => {
    const order: string[] = [];
    getRootLogger().add(tagged('root', order));
    const a = createModuleLogger('a');
    a.add(tagged('a1', order)).add(tagged('a2', order));
    const ab = createModuleLogger('a.b');
    ab.add(tagged('ab', order));
    ab.info('x');
    expect(order).toEqual(['ab', 'a1', 'a2', 'root']);

    order.length = 0;
    a.propagate = false;
    ab.info('y');
    expect(order).toEqual(['ab', 'a1', 'a2']);

    order.length = 0;
    ab.propagate = false;
    ab.info('z');
    expect(order).toEqual(['ab']);
  });

  it("each handler's own level decides; the ancestors' logger levels do not", () => {
    const warnings = new MemoryTransport({ level: 'warning', format: pythonFormat('%(message)s') });
    const all = new MemoryTransport({ format: pythonFormat('%(message)s') });
    const a = createModuleLogger('a', { level: 'error', transports: [warnings, all] });
    const ab = createModuleLogger('a.b', { level: 'debug' });
    ab.debug('debug %d', 1);
    ab.warning('warning %d', 2);
    a.warning('dropped by a');
    expect(all.lines).toEqual(['debug 1', 'warning 2']);
    expect(warnings.lines).toEqual(['warning 2']);
  });

  it('handler filters run per handler, on the shared record, before the transport copies it', () => {
    const first = new MemoryTransport({ format: pythonFormat('%(message)s %(tag)s') });
    const second = new MemoryTransport({ format: pythonFormat('%(message)s %(tag)s') });
    const blocked = new MemoryTransport({ format: pythonFormat('%(message)s') });
    addHandlerFilter(first, (info: TransformableInfo) => {
      (info as Record<string, unknown>).tag = 'tagged';
      return true;
    });
    addHandlerFilter(blocked, { filter: (info: TransformableInfo) => info.message !== 'secret' });
    const log = createModuleLogger('f', { transports: [first, second, blocked] });
    log.info('public');
    log.info('secret');
    expect(first.lines).toEqual(['public tagged', 'secret tagged']);
    // The attribute the first handler's filter added is seen by the handler after it, as in CPython.
    expect(second.lines).toEqual(['public tagged', 'secret tagged']);
    expect(blocked.lines).toEqual(['public']);
  });
});

describe('transports added by instrumentation through configure()', () => {
  it('see only the records of the logger they were added to, exactly once; ordinary handlers see propagated records', () => {
    // What OpenTelemetry's winston instrumentation does: wrap configure() and push its own transport.
    const proto = winston.Logger.prototype as unknown as { configure: (...args: unknown[]) => unknown };
    const original = proto.configure;
    const locals = new Map<string, MemoryTransport>();
    proto.configure = function (this: { name?: string }, ...args: unknown[]): unknown {
      const options = (args[0] ?? {}) as { transports?: unknown };
      const t = new MemoryTransport({ format: pythonFormat('%(name)s %(message)s') });
      locals.set(String(this.name), t);
      if (options.transports === undefined) options.transports = [t];
      else if (Array.isArray(options.transports)) options.transports.push(t);
      else options.transports = [options.transports, t];
      args[0] = options;
      return original.apply(this, args);
    };
    let a, ab, abc;
    try {
      a = createModuleLogger('a');
      ab = createModuleLogger('a.b');
      abc = createModuleLogger('a.b.c');
    } finally {
      proto.configure = original;
    }
    expect([...locals.keys()].sort()).toEqual(['a', 'a.b', 'a.b.c', 'root']);
    const handler = new MemoryTransport({ format: pythonFormat('%(name)s %(message)s') });
    getRootLogger().add(handler);
    // The instrumentation transports are not handlers.
    expect(ab.handlers).toEqual([]);
    expect(ab.transports).toContain(locals.get('a.b'));

    abc.info('deep');
    ab.info('middle');
    a.warning('top');
    getRootLogger().error('root');
    expect(locals.get('a.b.c')?.lines).toEqual(['a.b.c deep']);
    expect(locals.get('a.b')?.lines).toEqual(['a.b middle']);
    expect(locals.get('a')?.lines).toEqual(['a top']);
    expect(locals.get('root')?.lines).toEqual(['root root']);
    expect(handler.lines).toEqual(['a.b.c deep', 'a.b middle', 'a top', 'root root']);
  });
});

describe('records that find no handler', () => {
  it('install the default console once when nothing is configured', async () => {
    const log = createModuleLogger('quiet');
    const err = await captureStderr(() => {
      log.warning('first %s', 'warning');
      log.info('then info');
    });
    expect(err).toMatch(/ - quiet - WARNING - first warning\n/);
    expect(err).toMatch(/ - quiet - INFO - then info\n/);
    expect(err.split('\n').filter((l) => l !== '')).toHaveLength(2);
    expect(registry.defaultHandler).toBeDefined();
    expect(getRootLogger().handlers).toEqual([registry.defaultHandler]);
    const again = await captureStderr(() => createModuleLogger('other').error('more'));
    expect(again).toMatch(/ - other - ERROR - more\n/);
    expect(getRootLogger().handlers).toHaveLength(1);
  });

  it('go to the last resort, WARNING and above only, when no default console is wanted', async () => {
    registry.defaultHandler = null;
    const log = createModuleLogger('bare');
    const err = await captureStderr(() => {
      log.info('not shown');
      log.debug('not shown either');
      log.warning('disk at %d%%', 91);
      log.error('failed', new Error('boom'));
    });
    const lines = err.split('\n');
    expect(lines[0]).toBe('disk at 91%');
    expect(lines[1]).toBe('failed');
    expect(err).toContain('Error: boom');
    expect(err).not.toContain('not shown');
    expect(getRootLogger().handlers).toEqual([]);
  });
});

describe('delivery faults and defaults', () => {
  it("a transport without a format renders winston's json()", () => {
    const t = new MemoryTransport();
    const log = createModuleLogger('j', { transports: [t] });
    log.info('hello %s', 'world', { user: 'bob' });
    log.warn({ message: 'object', n: 1 });
    const json = winston.format.json();
    const expected = [
      // winston leaves a trailing metadata object in [SPLAT]: json() shows no `user` (splat() would merge it).
      json.transform({ level: 'info', message: 'hello %s' }, json.options),
      json.transform({ message: 'object', n: 1, level: 'warn' }, json.options),
    ].map((i) => JSON.parse(String((i as Record<symbol, unknown>)[MESSAGE])) as unknown);
    expect(t.lines.map((l) => JSON.parse(l) as unknown)).toEqual(expected);
  });

  it('a transport that was already ended gets one report, and the caller never sees a throw', async () => {
    const closed = new MemoryTransport({ format: pythonFormat('%(message)s') });
    const open = new MemoryTransport({ format: pythonFormat('%(message)s') });
    const log = createModuleLogger('ended', { transports: [closed, open] });
    const finished = once(closed, 'finish');
    closed.end();
    await finished;
    const err = await captureStderr(() => {
      log.info('one');
      log.info('two');
    });
    expect(err.match(/already closed/g)).toHaveLength(1);
    expect(err).toContain('logger "ended"');
    expect(open.lines).toEqual(['one', 'two']);
    expect(closed.lines).toEqual([]);
  });

  it("a transport 'error' with no logger listener is reported once on stderr and does not throw", async () => {
    const t = new MemoryTransport();
    createModuleLogger('faulty', { transports: [t] });
    const err = await captureStderr(() => {
      t.emit('error', new Error('disk full'));
      t.emit('error', new Error('disk full again'));
    });
    expect(err.match(/disk full/g)).toHaveLength(1);
    expect(err).toContain('--- Logging error ---');
  });

  it("a transport 'error' is re-emitted on the logger when it has a listener; 'warn' always", () => {
    const t = new MemoryTransport();
    const log = createModuleLogger('listened', { transports: [t] });
    const errors: unknown[][] = [];
    const warnings: unknown[][] = [];
    log.on('error', (...args: unknown[]) => errors.push(args));
    log.on('warn', (...args: unknown[]) => warnings.push(args));
    const boom = new Error('boom');
    t.emit('error', boom);
    t.emit('warn', 'slow');
    expect(errors).toEqual([[boom, t as Transport]]);
    expect(warnings).toEqual([['slow', t as Transport]]);
  });
});

describe("the bundle's synchronous transports, reached without the stream hop", () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dispatch-direct-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const read = (file: string): string => fs.readFileSync(file, 'utf8');

  it('store the same lines, and the next handler still gets an info its format never wrote into', () => {
    const file = path.join(tmp, 'a.log');
    const rot = new RotatingFileTransport({
      filename: file,
      format: pythonFormat('%(levelname)s %(message)s'),
    });
    // No format: winston's json() of the info as the logger made it, never the line rendered before it.
    const bare = new MemoryTransport();
    getRootLogger().add(rot);
    getRootLogger().add(bare);
    const log = createModuleLogger('direct');
    log.info('user %s', 'bob');
    log.warning('plain', { id: 7 });
    rot.flushSync();
    expect(read(file)).toBe('INFO user bob\nWARNING plain\n');
    expect(bare.lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      { level: 'info', message: 'user %s' },
      { level: 'warning', message: 'plain', id: 7 },
    ]);
    rot.close();
  });

  it("a 'logged' listener, a replaced log() and a level keep winston-transport's behaviour", () => {
    const file = path.join(tmp, 'b.log');
    const rot = new RotatingFileTransport({
      filename: file,
      level: 'warn',
      format: pythonFormat('%(message)s'),
    });
    const logged: unknown[] = [];
    rot.on('logged', (info: TransformableInfo) => logged.push((info as Record<symbol, unknown>)[MESSAGE]));
    class Counting extends RotatingFileTransport {
      seen = 0;
      override log(info: TransformableInfo, next?: () => void): void {
        this.seen++;
        super.log(info, next);
      }
    }
    const counting = new Counting({ filename: path.join(tmp, 'c.log'), format: pythonFormat('%(message)s') });
    createModuleLogger('direct2', { transports: [rot, counting] });
    const log = createModuleLogger('direct2');
    log.info('below the handler level');
    log.error('kept');
    rot.flushSync();
    counting.flushSync();
    expect(read(file)).toBe('kept\n');
    expect(logged).toEqual(['kept']);
    expect(counting.seen).toBe(2);
    expect(read(path.join(tmp, 'c.log'))).toBe('below the handler level\nkept\n');
    rot.close();
    counting.close();
  });

  it('a corked transport gets its records through the stream, in order, once uncorked', () => {
    const file = path.join(tmp, 'd.log');
    const rot = new RotatingFileTransport({ filename: file, format: pythonFormat('%(message)s') });
    const log = createModuleLogger('direct3', { transports: [rot] });
    log.info('one');
    rot.cork();
    log.info('two');
    log.info('three');
    rot.uncork();
    log.info('four');
    rot.flushSync();
    expect(read(file)).toBe('one\ntwo\nthree\nfour\n');
    rot.close();
  });
});

describe('one transport shared by many loggers: one listener pair on the transport', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dispatch-shared-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('eleven loggers holding one RotatingFileTransport raise no MaxListenersExceededWarning (a real process)', () => {
    // CPython: one FileHandler added to any number of loggers warns about nothing. Node reports the warning
    // on the real process only (jest's sandboxed `process` never sees it), hence the child process.
    const api = path.join(__dirname, '../../../src/index.ts');
    const file = path.join(tmp, 'shared.log');
    const script = `
      const { getLogger, RotatingFileTransport, pythonFormat } = require(${JSON.stringify(api)});
      const fh = new RotatingFileTransport({ filename: ${JSON.stringify(file)}, format: pythonFormat('%(name)s %(message)s') });
      for (let k = 0; k < 11; k++) getLogger('mod' + k).addHandler(fh);
      getLogger('mod10').warning('last of eleven');
      process.stdout.write(fh.listenerCount('warn') + ' ' + fh.listenerCount('error') + '\\n');
      setImmediate(() => fh.close());`;
    const r = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', script], {
      encoding: 'utf8',
      env: { ...process.env, LOG_LEVEL: '', LOG_LEVELS: '', LOGGING_CONFIG: '' },
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('1 1\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('mod10 last of eleven\n');
  });

  it("a transport's 'warn' and 'error' reach every logger holding it; the pair goes with the last one", async () => {
    const t = new MemoryTransport();
    const a = createModuleLogger('sa', { transports: [t] });
    const b = createModuleLogger('sb', { transports: [t] });
    const c = createModuleLogger('sc', { transports: [t] });
    const seen: string[] = [];
    for (const [name, log] of [
      ['sa', a],
      ['sb', b],
    ] as const) {
      log.on('warn', (w: unknown, from: unknown) =>
        seen.push(`${name} warn ${String(w)} ${String(from === t)}`),
      );
      log.on('error', (e: unknown, from: unknown) =>
        seen.push(`${name} error ${String(e)} ${String(from === t)}`),
      );
    }
    // sc has no 'error' listener: the error is reported once on stderr, never thrown.
    const stderr = await captureStderr(() => {
      t.emit('warn', 'w1');
      t.emit('error', new Error('e1'));
      t.emit('error', new Error('e2'));
    });
    expect(seen).toEqual([
      'sa warn w1 true',
      'sb warn w1 true',
      'sa error Error: e1 true',
      'sb error Error: e1 true',
      'sa error Error: e2 true',
      'sb error Error: e2 true',
    ]);
    expect(stderr.match(/--- Logging error ---/g)).toHaveLength(1);
    expect(stderr).toContain('e1');
    expect([t.listenerCount('warn'), t.listenerCount('error')]).toEqual([1, 1]);
    a.removeHandler(t);
    t.emit('warn', 'w2');
    expect(seen.slice(6)).toEqual(['sb warn w2 true']);
    b.removeHandler(t);
    c.clear();
    expect([t.listenerCount('warn'), t.listenerCount('error')]).toEqual([0, 0]);
    // Held again: the pair comes back.
    c.addHandler(t);
    expect([t.listenerCount('warn'), t.listenerCount('error')]).toEqual([1, 1]);
  });
});
