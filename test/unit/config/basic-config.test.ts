import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import winston from 'winston';
import { basicConfig } from '../../../src/config/basic-config';
import { ConfigError } from '../../../src/errors';
import { getLogger, getRootLogger, resetLogging } from '../../../src/logger/create-module-logger';
import { pythonFormat } from '../../../formats/python-format';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let out = '';
  stream.on('data', (d: Buffer) => (out += d.toString('utf8')));
  return { stream, text: () => out };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

beforeEach(() => resetLogging());
afterAll(() => resetLogging());

describe('basicConfig', () => {
  it('changes nothing when it throws (CPython adds the handlers, then raises for the keyword)', () => {
    const root = getRootLogger();
    const before = root.levelno;
    const { stream } = capture();
    expect(() => basicConfig({ stream, level: 'INFO', levle: 'x' } as never)).toThrow(
      new ConfigError('Unrecognised argument(s): levle'),
    );
    expect(() => basicConfig({ level: 'LOUD' as never })).toThrow(ConfigError);
    expect(() => basicConfig({ format: '%(name)', level: 'INFO' })).toThrow(
      "Invalid format '%(name)' for '%' style",
    );
    expect(root.handlers).toEqual([]);
    expect(root.levelno).toBe(before);
  });

  it('is a no-op when the root has handlers, and replaces them (ending them) with force', async () => {
    const first = capture();
    const second = capture();
    basicConfig({ stream: first.stream, level: 'INFO', format: 'ONE %(message)s' });
    const old = getRootLogger().handlers[0];
    basicConfig({ stream: second.stream, level: 'ERROR', format: 'TWO %(message)s', levle: 1 } as never);
    getLogger('a').info('kept');
    await tick();
    expect(first.text()).toBe('ONE kept\n');
    basicConfig({ stream: second.stream, level: 'DEBUG', format: 'TWO %(message)s', force: true });
    getLogger('a').debug('forced');
    await tick();
    expect(second.text()).toBe('TWO forced\n');
    expect(getRootLogger().handlers).toHaveLength(1);
    expect(old).toBeDefined();
    // winston-transport is a readable-stream Writable (no writableEnded): its state says it ended.
    expect((old as unknown as { _writableState: { ended: boolean } })._writableState.ended).toBe(true);
  });

  it("keeps a given handler's own format and gives the others the basic one", async () => {
    const own = capture();
    const plain = capture();
    const a = new winston.transports.Stream({
      stream: own.stream,
      eol: '\n',
      format: pythonFormat({ format: 'OWN %(message)s' }),
    });
    const b = new winston.transports.Stream({ stream: plain.stream, eol: '\n' });
    basicConfig({ handlers: [a, b], format: '{levelname}/{message}', style: '{', level: 20 });
    getLogger('svc').info('hello');
    await tick();
    expect([own.text(), plain.text()]).toEqual(['OWN hello\n', 'INFO/hello\n']);
  });

  it('does not count the automatic console an unconfigured app got (a real process)', () => {
    const api = join(__dirname, '../../../src/index.ts');
    const script = `
      const { basicConfig, getLogger, getRootLogger } = require(${JSON.stringify(api)});
      getLogger('early').warning('before');
      const auto = getRootLogger().handlers.length;
      basicConfig({ stream: 'stdout', format: 'BASIC %(name)s %(message)s' });
      getLogger('late').warning('after');
      process.stdout.write('handlers ' + auto + ' ' + getRootLogger().handlers.length + '\\n');`;
    const out = execFileSync(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', script], {
      encoding: 'utf8',
      env: { ...process.env, LOG_LEVEL: '', LOG_LEVELS: '', LOGGING_CONFIG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(out).toBe('BASIC late after\nhandlers 1 1\n');
  });
});
