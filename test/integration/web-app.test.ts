import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { MongoClient } from 'mongodb';
import { canConnect, freePort, startFerretDB } from '../helpers/ferretdb';
import type { FerretDBInstance } from '../helpers/ferretdb';

// examples/web-app end to end: the app runs as a real child process (tsx, as `npm run web-app` starts it),
// is driven over real HTTP on 127.0.0.1 and keeps its data and its database errors in a real FerretDB.
// Nothing here sleeps to synchronise: it waits on what it can observe (a line in a file, a document in
// a collection, the process's exit), each with a deadline.

jest.setTimeout(120_000);

const ROOT = path.join(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const MAIN = path.join(ROOT, 'examples', 'web-app', 'main.ts');
// The app's format: '%(asctime)s - %(name)s - %(levelname)s - %(requestId)s - %(message)s'.
const LINE = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3}) - (\S+) - ([A-Z]+) - (\S+) - (.*)$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ACCESS = /^(GET|POST) (\/\S*) (\d{3}) (\d+\.\d)ms$/;

/** One log record of a file: its header line parsed, plus the lines that follow it (a traceback). */
interface Rec {
  name: string;
  level: string;
  requestId: string;
  message: string;
  more: string[];
}

/** The complete records of a log file (a line still being written is left out). */
function readRecords(file: string): Rec[] {
  if (!fs.existsSync(file)) return [];
  const text = fs.readFileSync(file, 'utf8');
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  const recs: Rec[] = [];
  for (const line of complete.split('\n').slice(0, -1)) {
    const m = LINE.exec(line);
    if (m) recs.push({ name: m[2]!, level: m[3]!, requestId: m[4]!, message: m[5]!, more: [] });
    else if (recs.length > 0) recs[recs.length - 1]!.more.push(line);
    else throw new Error(`${path.basename(file)} starts with a line that is not a record: ${line}`);
  }
  return recs;
}

/** Polls `probe` until it returns a value (not undefined/false), or fails naming `what` at the deadline. */
async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Reply {
  status: number;
  requestId: string | undefined;
  body: unknown;
}

/** One HTTP request on its own connection (no keep-alive pool left open in the test process). */
function send(
  base: string,
  method: string,
  urlPath: string,
  options: { requestId?: string; body?: unknown } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const req = http.request(`${base}${urlPath}`, {
      method,
      agent: false,
      headers: {
        ...(options.requestId !== undefined ? { 'x-request-id': options.requestId } : {}),
        ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
      },
    });
    req.once('error', reject);
    req.once('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.once('end', () => {
        const id = res.headers['x-request-id'];
        resolve({
          status: res.statusCode ?? 0,
          requestId: typeof id === 'string' ? id : undefined,
          body: JSON.parse(text),
        });
      });
    });
    req.end(payload);
  });
}

/** The test's environment minus every variable the app reads, so only what a test sets counts. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of [
    'LOG_LEVEL',
    'LOG_LEVELS',
    'NODE_ENV',
    'LOGGING_CONFIG',
    'MONGODB_URI',
    'MONGODB_DB',
    'FERRETDB_DATA_DIR',
    'PORT',
    'LOG_DIR',
  ])
    delete env[k];
  return { ...env, ...extra };
}

interface App {
  url: string;
  logDir: string;
  child: ChildProcess;
  stderr(): string;
  /** Sends `signal` (the app's graceful shutdown), then resolves with its exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const apps = new Set<ChildProcess>();
const dirs: string[] = [];

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Starts the app on a free port with its logs in a fresh folder; resolves once it says where it listens. */
async function startApp(env: Record<string, string>): Promise<App> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'web-app-'));
  dirs.push(dir);
  const logDir = path.join(dir, 'logs');
  const child = spawn(TSX, [MAIN], {
    cwd: dir,
    env: cleanEnv({ PORT: '0', LOG_DIR: logDir, ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  apps.add(child);
  child.once('exit', () => apps.delete(child));
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the app did not start within 60 s:\n${stderr}`)),
      60_000,
    );
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      const m = /^web-app listening on (http:\/\/127\.0\.0\.1:\d+) /m.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the app exited (${String(code)}) before listening:\n${stderr}`));
    });
  });
  return {
    url,
    logDir,
    child,
    stderr: () => stderr,
    async stop(signal = 'SIGTERM') {
      child.kill(signal);
      return exited(child);
    },
  };
}

/** The records of one request, in file order. */
const ofRequest = (recs: Rec[], id: string): Rec[] => recs.filter((r) => r.requestId === id);
const shape = (recs: Rec[]): string[] => recs.map((r) => `${r.name} ${r.level}`);

describe('examples/web-app (a real server process, real HTTP, real FerretDB)', () => {
  afterAll(async () => {
    // A test that failed half-way leaves its app running: stop it the way an operator would.
    for (const child of apps) child.kill('SIGTERM');
    const hung = setTimeout(() => [...apps].forEach((c) => c.kill('SIGKILL')), 15_000);
    await Promise.all([...apps].map(exited));
    clearTimeout(hung);
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  describe('against its own FerretDB (stopped and restarted mid-test)', () => {
    let dataDir: string;
    let port: number;
    let server: FerretDBInstance | undefined;
    let app: App;
    let client: MongoClient | undefined;

    beforeAll(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'web-app-db-'));
      dirs.push(dataDir);
      port = await freePort();
      server = await startFerretDB({ dataDir, port });
      app = await startApp({ MONGODB_URI: server.uri, NODE_ENV: 'development' });
    });

    afterAll(async () => {
      await client?.close();
      await server?.stop();
    });

    const logins = Array.from({ length: 8 }, (_, i) => ({ id: `login-${i}`, user: `user-${i}` }));
    const reads = Array.from({ length: 4 }, (_, i) => `items-${i}`);
    let generatedId = '';

    it('serves concurrent requests, and every line of a request carries its id and no other', async () => {
      const replies = await Promise.all([
        ...logins.map((l) =>
          send(app.url, 'POST', '/login', { requestId: l.id, body: { username: l.user, password: 'nope' } }),
        ),
        ...reads.map((id) => send(app.url, 'GET', '/items', { requestId: id })),
        send(app.url, 'POST', '/login', { body: { username: 'valid_user', password: 'valid_password' } }),
      ]);
      logins.forEach((l, i) => expect(replies[i]).toMatchObject({ status: 401, requestId: l.id }));
      reads.forEach((id, i) =>
        expect(replies[logins.length + i]).toMatchObject({ status: 200, requestId: id }),
      );
      const valid = replies[replies.length - 1]!;
      expect(valid).toMatchObject({ status: 200, body: { username: 'valid_user' } });
      expect(valid.requestId).toMatch(UUID); // no header sent: the middleware made one and returned it
      generatedId = valid.requestId!;

      const ids = [...logins.map((l) => l.id), ...reads, generatedId];
      const appLog = path.join(app.logDir, 'app.log');
      const recs = await waitFor('an access line for every request in app.log', () => {
        const r = readRecords(appLog);
        return ids.every((id) => r.some((x) => x.requestId === id && x.name === 'http.access')) && r;
      });

      // No line carries an id that was not sent, and no request's detail appears under another id.
      const known = new Set(ids);
      for (const r of recs) if (r.requestId !== '-') expect(known).toContain(r.requestId);
      for (const l of logins) {
        for (const r of recs)
          if (r.message.includes(`'${l.user}'`) || r.message.endsWith(` ${l.user}`))
            expect(r.requestId).toBe(l.id);
        const mine = ofRequest(recs, l.id);
        expect(shape(mine)).toEqual([
          'utils DEBUG',
          'database DEBUG',
          'database DEBUG',
          'auth WARNING',
          'utils DEBUG',
          'http.access INFO',
        ]);
        expect(mine[1]!.message).toBe(`Query users.findOne {'username': '${l.user}'}`);
        // A failed login is a WARNING from auth (the seed's authenticate_user).
        expect(mine[3]!.message).toBe(`Authentication failed for user: ${l.user}`);
        const access = ACCESS.exec(mine[5]!.message);
        expect(access?.slice(1, 4)).toEqual(['POST', '/login', '401']);
      }
      for (const id of reads) {
        const mine = ofRequest(recs, id);
        expect(shape(mine)).toEqual(['database DEBUG', 'database DEBUG', 'utils DEBUG', 'http.access INFO']);
        expect(mine[0]!.message).toBe('Query items.find {}');
        expect(ACCESS.exec(mine[3]!.message)?.slice(1, 4)).toEqual(['GET', '/items', '200']);
      }
      // valid_user logs in: auth is at WARNING, so its success (INFO) is not recorded, as in the seed.
      const ok = ofRequest(recs, generatedId);
      expect(shape(ok)).toEqual([
        'utils DEBUG',
        'database DEBUG',
        'database DEBUG',
        'utils DEBUG',
        'http.access INFO',
      ]);
      expect(ACCESS.exec(ok[4]!.message)?.slice(1, 4)).toEqual(['POST', '/login', '200']);

      // The requests really were interleaved: some request's lines sit between another's first and last.
      const span = (id: string): [number, number] => {
        const at = recs.flatMap((r, i) => (r.requestId === id ? [i] : []));
        return [at[0]!, at[at.length - 1]!];
      };
      const spans = ids.map(span);
      const overlapping = spans.some(([a0, a1], i) => spans.some(([b0], j) => i !== j && b0 > a0 && b0 < a1));
      expect(overlapping).toBe(true);
    });

    it('logs a database failure as an ERROR with its traceback in database-errors.log, and in MongoDB once the server is back', async () => {
      await server!.kill(); // a crash: the data directory stays for the restart
      const down = await send(app.url, 'GET', '/items', { requestId: 'db-down' });
      expect(down).toMatchObject({
        status: 503,
        requestId: 'db-down',
        body: { error: 'database unavailable' },
      });

      const errorsLog = path.join(app.logDir, 'database-errors.log');
      const rec = await waitFor('the ERROR in database-errors.log', () =>
        readRecords(errorsLog).find((r) => r.requestId === 'db-down'),
      );
      expect(rec).toMatchObject({ name: 'database', level: 'ERROR' });
      expect(rec.message).toMatch(/^Query items\.find failed after \d+ ms$/);
      // The traceback follows the line: the driver's error (after its cause, in Python's order) and V8's frames.
      const thrown = rec.more.findIndex((l) => /^Mongo\w*Error: /.test(l));
      expect(thrown).toBeGreaterThanOrEqual(0);
      expect(rec.more[thrown + 1]).toMatch(/^ {4}at /);
      // Only the database module's ERROR and above are kept apart there.
      for (const r of readRecords(errorsLog)) expect([r.name, r.level]).toEqual(['database', 'ERROR']);

      // The server comes back on the same data and port: the record buffered by MongoTransport is stored.
      server = await startFerretDB({ dataDir, port });
      client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 5000 });
      // The context's fields are the record's extra attributes: MongoTransport stores them under `extra`.
      const log = client.db('webapp').collection('log');
      const doc = await waitFor(
        'the ERROR document in MongoDB',
        async () => (await log.findOne({ 'extra.requestId': 'db-down' })) ?? undefined,
      );
      expect(doc).toMatchObject({ name: 'database', levelname: 'ERROR', levelno: 40 });
      expect(String(doc.message)).toContain(' - database - ERROR - db-down - Query items.find failed after ');
      expect(String(doc.message)).toContain('    at ');
      expect(await log.countDocuments({ name: { $ne: 'database' } })).toBe(0);

      // And the app serves from the database again.
      expect(await send(app.url, 'GET', '/items', { requestId: 'db-back' })).toMatchObject({ status: 200 });
    });

    it('shuts down on SIGTERM with exit code 0, and the console shows what app.log holds', async () => {
      expect(await app.stop()).toBe(0);
      const recs = readRecords(path.join(app.logDir, 'app.log'));
      expect(recs.slice(-3).map((r) => r.message)).toEqual([
        'Received SIGTERM: shutting down',
        'Database connection closed',
        'Application finished',
      ]);
      const header = (l: string): string | undefined => (LINE.test(l) ? l : undefined);
      const fileLines = fs.readFileSync(path.join(app.logDir, 'app.log'), 'utf8').split('\n').filter(header);
      expect(app.stderr().split('\n').filter(header)).toEqual(fileLines);
    });
  });

  it('fails at start with exit code 1, and leaves nothing running, on a bad PORT or an unreachable database', async () => {
    const unreachable = `mongodb://127.0.0.1:${await freePort()}/`;
    const [badPort, noDatabase] = await Promise.allSettled([
      startApp({ PORT: 'abc' }),
      startApp({ MONGODB_URI: unreachable }),
    ]);
    // Bad configuration is refused before anything starts, naming the variable, the value and what is allowed.
    expect(badPort).toMatchObject({ status: 'rejected' });
    expect(String((badPort as PromiseRejectedResult).reason)).toMatch(
      /exited \(1\) before listening:\nweb-app failed to start: PORT="abc" is not allowed; use a port number from 0 to 65535\n$/,
    );
    // A database that does not answer: the failure is logged with its traceback, the logs flushed, exit 1.
    expect(noDatabase).toMatchObject({ status: 'rejected' });
    const output = String((noDatabase as PromiseRejectedResult).reason);
    expect(output).toMatch(/exited \(1\) before listening/);
    expect(output).toMatch(/ - database - ERROR - - - Database connection failed\n\w*Error: /);
    expect(output).toMatch(/^MongoServerSelectionError: /m);
    expect(apps.size).toBe(0);
  });

  it('records DEBUG detail in development and INFO and above in production (NODE_ENV), with the embedded FerretDB', async () => {
    const run = async (nodeEnv: string): Promise<{ recs: Rec[]; embeddedPort: number }> => {
      const app = await startApp({ NODE_ENV: nodeEnv }); // no MONGODB_URI: the app starts its own FerretDB
      const login = (requestId: string, username: string, password: string): Promise<Reply> =>
        send(app.url, 'POST', '/login', { requestId, body: { username, password } });
      expect((await login('fail', 'test_user', 'x')).status).toBe(401);
      expect((await login('ok', 'valid_user', 'valid_password')).status).toBe(200);
      expect((await send(app.url, 'GET', '/items', { requestId: 'items' })).status).toBe(200);
      // Ctrl-C in a terminal is SIGINT: the same graceful shutdown as SIGTERM.
      const signal = nodeEnv === 'production' ? 'SIGINT' : 'SIGTERM';
      expect(await app.stop(signal)).toBe(0);
      const recs = readRecords(path.join(app.logDir, 'app.log'));
      expect(recs.slice(-3).map((r) => r.message)).toEqual([
        `Received ${signal}: shutting down`,
        'Database connection closed',
        'Application finished',
      ]);
      const embedded = recs.find((r) => r.message.startsWith('Embedded FerretDB on '));
      expect(embedded?.message).toMatch(
        /^Embedded FerretDB on mongodb:\/\/127\.0\.0\.1:\d+\/ \(temporary data\)$/,
      );
      return { recs, embeddedPort: Number(/:(\d+)\//.exec(embedded!.message)![1]) };
    };
    const [dev, prod] = await Promise.all([run('development'), run('production')]);

    // The app stopped the server it started: nothing listens on its port any more.
    for (const r of [dev, prod]) expect(await canConnect(r.embeddedPort)).toBe(false);
    const debug = (recs: Rec[]): string[] => recs.filter((r) => r.level === 'DEBUG').map((r) => r.name);
    expect(new Set(debug(dev.recs))).toEqual(new Set(['database', 'utils']));
    expect(debug(prod.recs)).toEqual([]);
    // Apart from DEBUG, the two runs record the same lines for each request.
    for (const id of ['fail', 'ok', 'items']) {
      const infoUp = (recs: Rec[]): string[] => shape(ofRequest(recs, id).filter((r) => r.level !== 'DEBUG'));
      expect(infoUp(prod.recs)).toEqual(infoUp(dev.recs));
    }
    for (const r of [dev, prod]) {
      expect(ofRequest(r.recs, 'fail').map((x) => `${x.name} ${x.level} ${x.message}`)).toContain(
        'auth WARNING Authentication failed for user: test_user',
      );
      expect(r.recs.filter((x) => x.name === 'auth').map((x) => x.level)).toEqual(['WARNING']);
    }
  });
});
