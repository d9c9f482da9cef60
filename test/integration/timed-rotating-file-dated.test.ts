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
  it("writes winston-daily-rotate-file's dated files; shutdown() resolves with every record in them", async () => {
    // The transport's clock is injected through the handler's options: no sleeping on the real clock.
    let clock = Date.UTC(2026, 10, 21, 13, 5, 0, 400);
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
          now: () => clock,
        },
      },
      root: { level: 'INFO', handlers: ['timed'] },
    });
    const log = createModuleLogger('database');
    log.info('before the second ends');
    clock += 1000;
    for (let i = 0; i < 2000; i++) log.warning(`query ${i}`);
    log.debug('below the root level');
    const report = await shutdown();
    expect(report.delivered).toBe(true);
    const names = datedFiles();
    expect(names).toEqual(['app.log.2026-11-21_13-05-00', 'app.log.2026-11-21_13-05-01']);
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
