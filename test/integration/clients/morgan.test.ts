import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import express from 'express';
import morgan from 'morgan';
import { KINDS, get, listen, makeSubject, waitFor, withoutTime } from './subjects';
import type { Kind, Listening, Subject } from './subjects';

jest.setTimeout(15_000);

// morgan writes one text line per response (`'<line>\n'`, after the response finished) to `stream.write`;
// apps point that stream at their logger, at INFO or at winston's `http` level.
describe.each(KINDS)('morgan into a %s logger', (kind: Kind) => {
  let dir: string;
  let subject: Subject;
  let server: Listening;
  // What morgan handed over, and what the logger threw back (a missing `http` method throws here).
  const writes = new EventEmitter();
  let written = 0;
  const failures: unknown[] = [];

  const streamTo = (call: (line: string) => void) => ({
    write: (line: string): void => {
      try {
        call(line.trim());
      } catch (err) {
        failures.push(err);
      }
      written++;
      writes.emit('write');
    },
  });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `pylog-morgan-${kind}-`));
    subject = makeSubject(kind, { dir, name: 'web' });
    const log = subject.logger;
    const app = express();
    app.use(morgan(':method :url :status', { stream: streamTo((line) => log.info(line)) }));
    app.use(morgan(':method :url :status', { stream: streamTo((line) => log.http(line)) }));
    app.get('/a', (_req, res) => {
      res.send('a');
    });
    server = await listen(app);
  });

  afterAll(async () => {
    await server?.close();
    await subject?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('every response is one line on disk, at INFO through log.info() and at HTTP through log.http()', async () => {
    expect((await get(`${server.url}/a`)).status).toBe(200);
    expect((await get(`${server.url}/b`)).status).toBe(404);
    await waitFor(
      writes,
      'write',
      () => written >= 4,
      3000,
      () => `morgan wrote ${written} of 4 lines`,
    );
    expect(failures).toEqual([]);
    await subject.waitForRecords(4);

    expect((await subject.lines()).map(withoutTime)).toEqual([
      'web - INFO - GET /a 200',
      'web - HTTP - GET /a 200',
      'web - INFO - GET /b 404',
      'web - HTTP - GET /b 404',
    ]);
    const records = await subject.records();
    expect(records.map((r) => [r.level, r.message])).toEqual([
      ['info', 'GET /a 200'],
      ['http', 'GET /a 200'],
      ['info', 'GET /b 404'],
      ['http', 'GET /b 404'],
    ]);
  });
});
