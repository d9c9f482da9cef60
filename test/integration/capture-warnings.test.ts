import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

// Real child processes: Node's own warning printer is a process 'warning' listener; captureWarnings
// takes it off while the warnings go to the py.warnings logger and puts it back after.
const ROOT = path.resolve(__dirname, '..', '..');
const APP = path.join(ROOT, 'test', 'fixtures', 'warnings', 'warnings-app.ts');

function run(
  mode: string,
  nodeArgs: string[] = [],
): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, [...nodeArgs, '--import', 'tsx', APP, mode], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, NODE_NO_WARNINGS: '' },
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe('captureWarnings()', () => {
  it('logs process warnings at WARNING on py.warnings instead of printing them, until captureWarnings(false)', () => {
    const r = run('configured');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      // The app's listener was added first, so it runs first.
      'user listener saw: first warning',
      'WARNING:py.warnings:Warning: first warning',
      'user listener saw: old api',
      'WARNING:py.warnings:[DEP0999] DeprecationWarning: old api',
      'user listener saw: custom',
      'WARNING:py.warnings:[MY1] MyWarning: custom',
      'some detail',
      'user listener saw: after release',
      // Node's printer is back in front; the app's own listener was never touched.
      'listeners: onWarning,userListener',
      '',
    ]);
    // Node printed only the warning emitted after the capture ended.
    expect(r.stderr).toMatch(/^\(node:\d+\) Warning: after release\n/);
    expect(r.stderr).not.toContain('first warning');
    expect(r.stderr).not.toContain('old api');
    expect(r.stderr).not.toContain('custom');
  });

  it('an app with no handler still sees captured warnings, through the default stderr console', () => {
    const r = run('unconfigured');
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} - py\.warnings - WARNING - Warning: first warning$/m,
    );
    expect(r.stderr.match(/first warning/g)).toHaveLength(1);
    expect(r.stderr).toMatch(/^\(node:\d+\) Warning: after release$/m);
  });

  it('under --no-warnings (no printer to take off) warnings are still captured, and nothing prints after', () => {
    const r = run('configured', ['--no-warnings']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('WARNING:py.warnings:Warning: first warning\n');
    expect(r.stdout).toContain('listeners: userListener\n');
    expect(r.stderr).toBe('');
  });
});
