import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// %(funcName)s at an ES module's top level is '<module>', as in CPython and in CommonJS. A real ES
// module, run by a real Node process.
describe('call site under ESM', () => {
  it("names top-level code '<module>', functions by their name", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esm-call-site-'));
    try {
      const engine = path.join(__dirname, '../../src/record/call-site.ts');
      const file = path.join(dir, 'app.mjs');
      fs.writeFileSync(
        file,
        [
          `import { captureCallSite } from ${JSON.stringify(engine)};`,
          'const out = [captureCallSite().funcName];',
          'function handler() { return captureCallSite().funcName; }',
          'out.push(handler());',
          'process.stdout.write(JSON.stringify(out));',
        ].join('\n'),
      );
      const out = execFileSync(process.execPath, ['--import', 'tsx', file], {
        encoding: 'utf8',
        cwd: path.join(__dirname, '../..'),
      });
      expect(JSON.parse(out)).toEqual(['<module>', 'handler']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
