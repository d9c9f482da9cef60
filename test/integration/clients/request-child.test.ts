import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import express from 'express';
import type winston from 'winston';
import { KINDS, get, listen, makeSubject } from './subjects';
import type { Kind, Listening, Subject } from './subjects';

jest.setTimeout(15_000);

/** What the middleware adds to each request: winston's per-request child logger. */
interface LoggedRequest extends express.Request {
  log: winston.Logger;
}

// winston's per-request pattern: a middleware binds the request id once with `logger.child({ requestId })`,
// handlers log through `req.log`. Two requests in flight at once must keep their own ids.
describe.each(KINDS)('child({ requestId }) through express middleware on a %s logger', (kind: Kind) => {
  let dir: string;
  let subject: Subject;
  let server: Listening;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `pylog-child-${kind}-`));
    subject = makeSubject(kind, {
      dir,
      name: 'web',
      format: '%(name)s - %(levelname)s - [%(requestId)s] %(message)s',
    });
    const app = express();
    app.use((req, _res, next) => {
      (req as LoggedRequest).log = subject.logger.child({ requestId: req.get('x-request-id') });
      next();
    });
    app.get('/work', (req, res) => {
      const log = (req as LoggedRequest).log;
      log.info('handling %s', req.path);
      // Let the other request run in between, so each child's bindings must survive interleaving.
      setImmediate(() => {
        log.child({ step: 'db' }).debug('query done');
        log.warn('slow request', { elapsedMs: 1500 });
        res.send('ok');
      });
    });
    server = await listen(app);
  });

  afterAll(async () => {
    await server?.close();
    await subject?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('each line carries its own request id, also from a grandchild logger', async () => {
    const results = await Promise.all([
      get(`${server.url}/work`, { 'x-request-id': 'r-1' }),
      get(`${server.url}/work`, { 'x-request-id': 'r-2' }),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    await subject.waitForRecords(6);

    const lines = await subject.lines();
    for (const id of ['r-1', 'r-2']) {
      expect(lines.filter((l) => l.includes(`[${id}]`))).toEqual([
        `web - INFO - [${id}] handling /work`,
        `web - DEBUG - [${id}] query done`,
        `web - WARNING - [${id}] slow request`,
      ]);
    }
    // JSON has the bindings as fields (the message with a %s stays unmerged without splat(), as in winston).
    const records = await subject.records();
    expect(records.filter((r) => r.requestId === 'r-2')).toEqual([
      expect.objectContaining({ level: 'info', requestId: 'r-2' }),
      expect.objectContaining({ level: 'debug', message: 'query done', requestId: 'r-2', step: 'db' }),
      expect.objectContaining({ level: 'warn', message: 'slow request', requestId: 'r-2', elapsedMs: 1500 }),
    ]);
  });
});
