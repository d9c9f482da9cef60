import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

// The type test (test/types): runs the real compiler on code a consumer writes. accepts.ts must compile and
// every `@ts-expect-error` in rejects.ts must meet an error (tsc reports an unused one), so the run fails both
// when a valid form stops compiling and when a typical mistake starts compiling.
const ROOT = path.resolve(__dirname, '..', '..');

describe('the public types (tsc -p test/types)', () => {
  it('accept the documented forms and reject the typical mistakes', () => {
    const r = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'test/types'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 180_000);
});
