import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import express from 'express';
import expressWinston from 'express-winston';
import { ASCTIME, KINDS, get, listen, makeSubject, withoutTime } from './subjects';
import type { Kind, Listening, Subject } from './subjects';

// express-winston 4 with `winstonInstance`: its request logger calls `logger.log({ ...meta, level, message })`
// once per response (inside res.end), its error logger builds the record with `new winston.ExceptionHandler(logger)
// .getAllInfo(err)` and calls `logger.log({ ...thatInfo, level: 'error', message })`. Real server, real HTTP.
jest.setTimeout(15_000);

describe.each(KINDS)('express-winston with a %s logger', (kind: Kind) => {
  let dir: string;
  let subject: Subject;
  let server: Listening;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `pylog-expresswinston-${kind}-`));
    subject = makeSubject(kind, {
      dir,
      name: 'web',
      format: `${'%(asctime)s - %(name)s - %(levelname)s - %(message)s'} | %(meta)s`,
      defaults: { meta: '-' },
    });
    const app = express();
    app.use(expressWinston.logger({ winstonInstance: subject.logger, statusLevels: true }));
    app.get('/hello', (_req, res) => {
      res.json({ hello: 'world' });
    });
    app.get('/missing', (_req, res) => {
      res.status(404).send('nope');
    });
    app.get('/boom', () => {
      throw new Error('kaboom in a handler');
    });
    // metaField: null puts getAllInfo()'s fields (stack, error, …) at the top of the record, where a Python
    // format's traceback and a JSON format's `stack` read them. getAllInfo() also sets `exception: true`,
    // which makes every winston-transport drop the record unless it has handleExceptions: that field is
    // left out (with the default metaField it is nested under `meta` and harmless).
    app.use(
      expressWinston.errorLogger({
        winstonInstance: subject.logger,
        metaField: null,
        blacklistedMetaFields: ['exception', 'process', 'os', 'trace'],
        msg: 'Request failed: {{err.message}}',
      }),
    );
    app.use((_err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).send('failed');
    });
    server = await listen(app);
  });

  afterAll(async () => {
    await server?.close();
    await subject?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('request lines and the error line (with its stack) reach the file with the right levelname', async () => {
    expect((await get(`${server.url}/hello`)).status).toBe(200);
    expect((await get(`${server.url}/missing`)).status).toBe(404);
    expect((await get(`${server.url}/boom`)).status).toBe(500);
    // 3 request lines + 1 error line.
    await subject.waitForRecords(4);
    const lines = await subject.lines();

    const heads = lines.filter((l) => new RegExp(`^${ASCTIME} - `).test(l)).map(withoutTime);
    expect(heads.map((l) => l.replace(/ \| .*$/, ''))).toEqual([
      'web - INFO - HTTP GET /hello',
      'web - WARNING - HTTP GET /missing',
      'web - ERROR - Request failed: kaboom in a handler',
      'web - ERROR - HTTP GET /boom',
    ]);

    // The error record carries err.stack at the top level: the traceback follows its line.
    const at = lines.findIndex((l) => l.includes(' - ERROR - Request failed: kaboom in a handler'));
    expect(lines[at + 1]).toBe('Error: kaboom in a handler');
    expect(lines[at + 2]).toMatch(/^ {4}at .*express-winston\.test\.ts:\d+:\d+/);
  });

  it('the request/response metadata is usable as %(meta)s and in JSON', async () => {
    const lines = await subject.lines();
    const hello = lines.find((l) => l.includes(' - INFO - HTTP GET /hello'));
    // %(meta)s is Python's str() of the dict express-winston put under `meta`.
    expect(hello).toMatch(/ \| \{'req': \{'url': '\/hello', .*'method': 'GET'/);
    expect(hello).toMatch(/'res': \{'statusCode': 200\}, 'responseTime': \d+\}$/);

    const records = await subject.records();
    const request = records.find((r) => r.message === 'HTTP GET /missing');
    expect(request).toMatchObject({
      level: 'warn',
      meta: { req: { url: '/missing', method: 'GET', httpVersion: '1.1' }, res: { statusCode: 404 } },
    });
    expect((request!.meta as { req: { headers: Record<string, string> } }).req.headers.host).toMatch(
      /^127\.0\.0\.1:\d+$/,
    );

    const failure = records.find((r) => r.message === 'Request failed: kaboom in a handler');
    expect(failure).toMatchObject({ level: 'error', req: { url: '/boom', method: 'GET' } });
    expect(failure).not.toHaveProperty('exception');
    expect(failure!.stack).toEqual(expect.stringMatching(/^Error: kaboom in a handler\n {4}at /));
  });
});
