/**
 * Package side of the rotation fuzz cases (a child process, like format-runner.ts): each case runs
 * through RotatingFileTransport in a fresh directory; the answer is every file's name and content.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MESSAGE } from 'triple-beam';
import { RotatingFileTransport } from '../../../transports/rotating-file';
import type { RotationCase } from './rotation-cases';

/** Runs one rotation case; resolves to the directory's files as `{ name: content }`. */
export async function runRotationCase(c: RotationCase): Promise<{ files: Record<string, string> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fuzz-rot-js-'));
  try {
    for (const [name, content] of Object.entries(c.initial)) fs.writeFileSync(path.join(dir, name), content);
    const make = (): RotatingFileTransport =>
      new RotatingFileTransport({
        filename: path.join(dir, 'app.log'),
        maxBytes: c.maxBytes,
        backupCount: c.backupCount,
        mode: c.mode,
        delay: c.delay,
        terminator: c.terminator,
        faultsToStderr: false,
      });
    let t = make();
    for (const [i, message] of c.messages.entries()) {
      if (c.reopen.includes(i)) {
        await t.flush();
        t.close();
        t = make();
      }
      t.log({ level: 'info', message, [MESSAGE]: message }, () => undefined);
    }
    await t.flush();
    t.close();
    const files: Record<string, string> = {};
    for (const name of fs.readdirSync(dir).sort())
      files[name] = fs.readFileSync(path.join(dir, name), 'utf8');
    return { files };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  void (async () => {
    const out: string[] = [];
    for (const line of fs.readFileSync(0, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      out.push(JSON.stringify(await runRotationCase(JSON.parse(line) as RotationCase)));
    }
    process.stdout.write(`${out.join('\n')}\n`);
  })();
}
