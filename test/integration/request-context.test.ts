import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { pythonFormat } from '../../formats/python-format';
import { getLogContext } from '../../src/context/get-log-context';
import { requestContext } from '../../src/http/request-context';
import type { RequestContextOptions } from '../../src/http/request-context';
import { createModuleLogger, getRootLogger, resetLogging } from '../../src/logger/create-module-logger';
import { MemoryTransport } from '../helpers/memory-transport';

// Real servers on 127.0.0.1 (node:http and express), real HTTP requests on their own connections.
jest.setTimeout(15_000);

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;
type Kind = 'node:http' | 'express';

interface Served {
  url: string;
  close: () => Promise<void>;
}

/** A server whose every request goes through requestContext(options), then `handler`. */
async function serve(kind: Kind, options: RequestContextOptions, handler: Handler): Promise<Served> {
  const middleware = requestContext(options);
  let server: http.Server;
  if (kind === 'express') {
    const app = express();
    app.use(middleware);
    app.use((req, res) => void handler(req, res));
    server = http.createServer(app);
  } else {
    server = http.createServer((req, res) => middleware(req, res, () => void handler(req, res)));
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; requestId: string | undefined }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false, headers, timeout: 5000 }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          const id = res.headers['x-request-id'];
          resolve({ status: res.statusCode ?? 0, body, requestId: typeof id === 'string' ? id : undefined });
        });
      })
      .on('error', reject);
  });
}

/** Event-loop turns until `done()` holds (the access line is written on the server's 'finish'). */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 10_000 && !done(); i++) await new Promise((r) => setImmediate(r));
  if (!done()) throw new Error('the expected records never came');
}

/** A promise with its resolve function, to order two requests' steps without any timer. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

let sink: MemoryTransport;
beforeEach(() => {
  resetLogging();
  sink = new MemoryTransport({
    format: pythonFormat({
      format: '%(requestId)s %(name)s %(levelname)s %(message)s',
      defaults: { requestId: '-' },
    }),
  });
  getRootLogger().add(sink).setLevel('DEBUG');
});
afterAll(() => resetLogging());

describe.each<Kind>(['node:http', 'express'])('requestContext() on %s', (kind) => {
  it('concurrent, interleaved requests each see only their own id, through awaits and timers', async () => {
    const log = createModuleLogger('web.handler');
    const aStarted = gate();
    const bDone = gate();
    const server = await serve(kind, {}, async (req, res) => {
      const who = req.url === '/a' ? 'a' : 'b';
      log.info('start %s', who);
      if (who === 'a') {
        aStarted.open();
        await bDone.promise; // a waits until b has finished: the two requests interleave
      }
      await new Promise((r) => setTimeout(r, 0));
      log.info('end %s (context %s)', who, String(getLogContext()?.requestId));
      res.end(who);
      if (who === 'b') bDone.open();
    });
    try {
      const a = get(`${server.url}/a`, { 'X-Request-Id': 'req-a' });
      await aStarted.promise;
      const b = await get(`${server.url}/b`, { 'x-request-id': 'req-b' });
      const aRes = await a;
      expect([aRes.requestId, b.requestId]).toEqual(['req-a', 'req-b']);
      expect(sink.lines).toEqual([
        'req-a web.handler INFO start a',
        'req-b web.handler INFO start b',
        'req-b web.handler INFO end b (context req-b)',
        'req-a web.handler INFO end a (context req-a)',
      ]);
    } finally {
      await server.close();
    }
  });

  it('generates an id when the header is missing, invalid or too long, and sets it on the response', async () => {
    let n = 0;
    const server = await serve(kind, { generateId: () => `gen-${++n}`, maxIdLength: 16 }, (_req, res) => {
      createModuleLogger('web').info('handled');
      res.end();
    });
    try {
      const results = [
        await get(server.url),
        await get(server.url, { 'x-request-id': 'bad id\twith spaces' }),
        await get(server.url, { 'x-request-id': 'x'.repeat(17) }),
        await get(server.url, { 'x-request-id': ' ok-id.1 ' }),
      ];
      expect(results.map((r) => r.requestId)).toEqual(['gen-1', 'gen-2', 'gen-3', 'ok-id.1']);
      expect(sink.lines).toEqual([
        'gen-1 web INFO handled',
        'gen-2 web INFO handled',
        'gen-3 web INFO handled',
        'ok-id.1 web INFO handled',
      ]);
    } finally {
      await server.close();
    }
  });

  it('accessLog writes one INFO line per response with method, path, status and duration (injected clock)', async () => {
    const ticks = [1000, 1003.2, 2000, 2010.04];
    const server = await serve(
      kind,
      { accessLog: 'http.access', clock: () => ticks.shift() ?? 0, generateId: () => 'gen' },
      (req, res) => {
        res.statusCode = req.url?.startsWith('/login') ? 401 : 200;
        res.end();
      },
    );
    try {
      await get(`${server.url}/login?token=secret`, { 'x-request-id': 'r-1' });
      await until(() => sink.records.length === 1);
      await get(`${server.url}/health`);
      await until(() => sink.records.length === 2);
      expect(sink.lines).toEqual([
        'r-1 http.access INFO GET /login 401 3.2ms',
        'gen http.access INFO GET /health 200 10.0ms',
      ]);
      expect(sink.records[0]).toMatchObject({
        method: 'GET',
        path: '/login',
        status: 401,
        durationMs: 3.2,
        requestId: 'r-1',
      });
    } finally {
      await server.close();
    }
  });
});

describe('requestContext() access line of a request the client gave up on', () => {
  it('is written on the response’s close, marked (aborted), with the request’s id', async () => {
    const reached = gate();
    const ticks = [0, 5];
    const server = await serve(
      'node:http',
      { accessLog: 'http.access', clock: () => ticks.shift() ?? 0 },
      () => reached.open(), // never answers
    );
    try {
      const req = http.get(server.url, { agent: false, headers: { 'x-request-id': 'gone' } });
      req.on('error', () => undefined);
      await reached.promise;
      req.destroy();
      await until(() => sink.records.length === 1);
      expect(sink.lines).toEqual(['gone http.access INFO GET / 200 5.0ms (aborted)']);
      expect(sink.records[0]).toMatchObject({ aborted: true, status: 200 });
    } finally {
      await server.close();
    }
  });
});

describe('requestContext() options', () => {
  it('header: false ignores the caller’s id; responseHeader: false sets none; another header name is read and set', async () => {
    const seen: unknown[] = [];
    const handler: Handler = (_req, res) => {
      seen.push(getLogContext()?.requestId);
      res.end();
    };
    const s1 = await serve('node:http', { header: false, generateId: () => 'own' }, handler);
    const s2 = await serve('node:http', { responseHeader: false, generateId: () => 'own' }, handler);
    const s3 = await serve('node:http', { header: 'X-Correlation-ID' }, (_req, res) => {
      seen.push(getLogContext()?.requestId);
      res.end(String(res.getHeader('x-correlation-id')));
    });
    try {
      expect((await get(s1.url, { 'x-request-id': 'theirs' })).requestId).toBe('own');
      expect((await get(s2.url, { 'x-request-id': 'theirs' })).requestId).toBeUndefined();
      expect((await get(s3.url, { 'x-correlation-id': 'corr-1' })).body).toBe('corr-1');
      expect(seen).toEqual(['own', 'theirs', 'corr-1']);
    } finally {
      await Promise.all([s1.close(), s2.close(), s3.close()]);
    }
  });

  it('without next (a plain request listener) the context covers the rest of the listener', async () => {
    const middleware = requestContext({ generateId: () => 'listener' });
    const server = http.createServer((req, res) => {
      middleware(req, res);
      void Promise.resolve().then(() => {
        createModuleLogger('web').info('after the middleware');
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      expect((await get(`http://127.0.0.1:${port}/`)).requestId).toBe('listener');
      expect(sink.lines).toEqual(['listener web INFO after the middleware']);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
