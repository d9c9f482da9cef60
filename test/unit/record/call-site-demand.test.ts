import { spawnSync } from 'node:child_process';
import type { SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..', '..');

// Runs in a real Node process with --expose-gc (from a file: frames of \`node -e\` code have no file, and
// are never taken for the caller): a format that renders %(lineno)d switches call-site
// capture on while it lives; once every reference is dropped and collected (FinalizationRegistry
// callbacks run after a collection, on a later turn), loggers stop capturing.
const SCRIPT = `
const { createModuleLogger } = require(${JSON.stringify(path.join(REPO, 'src/logger/create-module-logger'))});
const { pythonFormat } = require(${JSON.stringify(path.join(REPO, 'formats/python-format'))});
const { callSiteWanted } = require(${JSON.stringify(path.join(REPO, 'src/record/call-site'))});
const { PY_RECORD } = require(${JSON.stringify(path.join(REPO, 'src/record/record'))});
const { MemoryTransport } = require(${JSON.stringify(path.join(REPO, 'test/helpers/memory-transport'))});
const winston = require(${JSON.stringify(require.resolve('winston'))});

const log = createModuleLogger('demand');
const seen = [];
// First handler, without call-site fields: notes whether the logger itself captured the call site.
log.add(new MemoryTransport({
  format: winston.format((info) => {
    seen.push(info[PY_RECORD].callSite === undefined ? null : info[PY_RECORD].callSite.lineno);
    return info;
  })(),
}));
const out = { before: callSiteWanted() };
(function withFormat() {
  let rendering = new MemoryTransport({ format: pythonFormat('%(lineno)d %(message)s') });
  log.add(rendering);
  out.wantedWhileAlive = callSiteWanted();
  log.info('with format'); const expectedLine = Number(new Error().stack.split('\\n')[1].split(':').at(-2));
  out.expectedLine = expectedLine;
  out.rendered = rendering.lines;
  log.remove(rendering);
  rendering = null;
})();
(async () => {
  for (let i = 0; i < 6 && callSiteWanted(); i++) {
    global.gc();
    await new Promise((r) => setImmediate(r));
  }
  out.wantedAfterGc = callSiteWanted();
  log.info('after gc');
  out.seen = seen;
  process.stdout.write(JSON.stringify(out));
})();
`;

describe('call-site capture follows the formats that render it', () => {
  it('runs while a %(lineno)d format is alive and stops once it is collected', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'call-site-demand-'));
    const file = path.join(dir, 'app.cjs');
    fs.writeFileSync(file, SCRIPT);
    let child: SpawnSyncReturns<string>;
    try {
      child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', file], {
        cwd: REPO,
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, NODE_OPTIONS: '' },
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    const out = JSON.parse(child.stdout) as {
      before: boolean;
      wantedWhileAlive: boolean;
      expectedLine: number;
      rendered: string[];
      wantedAfterGc: boolean;
      seen: Array<number | null>;
    };
    expect(out.before).toBe(false);
    expect(out.wantedWhileAlive).toBe(true);
    // The rendered line number is the line of the log call in the script.
    expect(out.rendered).toEqual([`${out.expectedLine} with format`]);
    expect(out.wantedAfterGc).toBe(false);
    // Captured by the logger while the format lived; not captured at all after it was collected.
    expect(out.seen).toEqual([out.expectedLine, null]);
  }, 60_000);
});
