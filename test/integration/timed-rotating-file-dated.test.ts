import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configureLogging } from '../../src/config/configure-logging';
import { createModuleLogger, resetLogging } from '../../src/logger/create-module-logger';
import { ConfigError } from '../../src/errors';
import { shutdown } from '../../src/lifecycle/shutdown';

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'trf-dated-int-'));
});
afterEach(async () => {
  await shutdown();
  resetLogging();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function datedFiles(): string[] {
  return fs
    .readdirSync(tmp)
    .filter((n) => n.startsWith('app.log.'))
    .sort();
}

describe("configureLogging: timed_rotating_file with layout 'dated'", () => {
  it('builds winston-daily-rotate-file underneath; shutdown() resolves with every record in the dated files', async () => {
    const ms = Date.now() % 1000;
    if (ms > 300) await new Promise((r) => setTimeout(r, 1000 - ms + 5));
    configureLogging({
      version: 1,
      formatters: { seed: { format: '%(name)s - %(levelname)s - %(message)s' } },
      handlers: {
        timed: {
          class: 'logging.handlers.TimedRotatingFileHandler',
          filename: path.join(tmp, 'app.log'),
          when: 'S',
          utc: true,
          layout: 'dated',
          formatter: 'seed',
          faultsToStderr: false,
        },
      },
      root: { level: 'INFO', handlers: ['timed'] },
    });
    const log = createModuleLogger('database');
    log.info('before the second ends');
    await new Promise((r) => setTimeout(r, 1000));
    for (let i = 0; i < 2000; i++) log.warning(`query ${i}`);
    log.debug('below the root level');
    const report = await shutdown();
    expect(report.delivered).toBe(true);
    const names = datedFiles();
    expect(names).toHaveLength(2);
    for (const n of names) expect(n).toMatch(/^app\.log\.\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}$/);
    expect(fs.readFileSync(path.join(tmp, names[0]!), 'utf8')).toBe(
      'database - INFO - before the second ends\n',
    );
    const second = fs.readFileSync(path.join(tmp, names[1]!), 'utf8').split('\n');
    expect(second).toHaveLength(2001);
    expect(second[0]).toBe('database - WARNING - query 0');
    expect(second[1999]).toBe('database - WARNING - query 1999');
  });

  it("rejects what winston-daily-rotate-file cannot do, naming the handler's option", () => {
    const make = () =>
      configureLogging({
        version: 1,
        handlers: {
          timed: {
            class: 'timed_rotating_file',
            filename: path.join(tmp, 'app.log'),
            when: 'W6',
            layout: 'dated',
          },
        },
        root: { level: 'INFO', handlers: ['timed'] },
      });
    expect(make).toThrow(ConfigError);
    expect(make).toThrow(
      /option "when" is "W6"; in layout 'dated' expected 'S', 'M', 'H', 'D' or 'midnight'/,
    );
    expect(datedFiles()).toEqual([]);
  });
});
