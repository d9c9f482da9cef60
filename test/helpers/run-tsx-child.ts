import { spawn } from 'node:child_process';
import * as path from 'node:path';

/** What a child process printed and how it ended. */
export interface ChildResult {
  code: number | null;
  out: string;
  err: string;
}

/**
 * Runs a TypeScript script in a real child process (`node --import tsx script ...args`, from the project's
 * root) and resolves with its exit code and output once it has closed. The multi-process tests start several
 * at once and check what each wrote.
 */
export function runTsxChild(script: string, args: readonly string[]): Promise<ChildResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: path.join(__dirname, '../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}
