import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { KINDS, withoutTime } from './subjects';
import type { Kind } from './subjects';

jest.setTimeout(60_000);

// nest-winston 2 as Nest's app logger, in a real child process (Nest 12 is ESM-only; jest cannot load it). Nest's
// `Logger` hands (message, ...params, context) to nest-winston, which calls: log → logger.info(msg, { context }),
// warn/debug/verbose → logger.<level>(msg, { context }), error → logger.error(msg, { context, stack: [trace] }),
// fatal → logger.log({ level: 'fatal', message, context, stack: [trace] }).
const ROOT = path.resolve(__dirname, '..', '..', '..');
const APP = path.join(ROOT, 'test', 'fixtures', 'clients', 'nest-app.ts');
const run = promisify(execFile);

describe.each(KINDS)('nest-winston with a %s logger as the Nest app logger', (kind: Kind) => {
  let dir: string;
  let result: { status: number; body: string; waitError: string | null };
  let lines: string[];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `pylog-nest-${kind}-`));
    const { stdout } = await run(process.execPath, ['--import', 'tsx', APP, kind, dir], {
      cwd: ROOT,
      timeout: 45_000,
    });
    result = JSON.parse(stdout.trim().split('\n').pop()!) as typeof result;
    lines = fs.readFileSync(path.join(dir, 'web.log'), 'utf8').trimEnd().split('\n').map(withoutTime);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a request to a controller that logs at every Nest level answers 200', () => {
    expect(result).toEqual({ status: 200, body: '{"ok":true}', waitError: null });
  });

  it("every Nest level is rendered with its Python levelname and the caller's context", () => {
    expect(lines.filter((l) => l.endsWith(' line'))).toEqual([
      'web - INFO - [Probe] log line',
      'web - ERROR - [Probe] error line',
      'web - WARNING - [Probe] warn line',
      'web - DEBUG - [Probe] debug line',
      'web - VERBOSE - [Probe] verbose line',
      // Nest passes its context as fatal()'s second argument, which nest-winston reads as the trace:
      // the record's `context` is undefined, so the format's default shows.
      'web - CRITICAL - [-] fatal line',
    ]);
  });

  it("Nest's own bootstrap lines go through the same logger", () => {
    expect(lines).toEqual(
      expect.arrayContaining([
        'web - INFO - [NestFactory] Starting Nest application...',
        'web - INFO - [RouterExplorer] Mapped {/probe, GET} route',
        'web - INFO - [NestApplication] Nest application successfully started',
      ]),
    );
    expect(lines.filter((l) => l.includes('ExceptionsHandler'))).toEqual([]);
  });
});
