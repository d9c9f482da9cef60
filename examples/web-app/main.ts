import { mkdirSync } from 'node:fs';
import * as http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  configureLogging,
  getLogger,
  installExitHandlers,
  moduleName,
  requestContext,
  shutdown,
} from '../../src/index';
import type { FerretDBInstance } from '../../scripts/ferretdb';
import { authenticateUser, hashPassword, SEED_USER } from './auth';
import { Database, DatabaseError } from './database';
import { startEmbeddedMongo } from './embedded-mongo';
import { webAppLoggingConfig } from './logging-config';
import { HttpError, readJsonBody, sendJson, stringField } from './utils';

// The seed's main.py as a web service: configures logging, connects the database, serves HTTP on
// 127.0.0.1 and shuts down cleanly on SIGINT/SIGTERM (logs flushed to the files and MongoDB).
//
// Environment: PORT (default 8080; 0 picks a free port), LOG_DIR (default logs), NODE_ENV (production →
// INFO, else DEBUG), MONGODB_URI (default: an embedded FerretDB), MONGODB_DB (default webapp),
// FERRETDB_DATA_DIR (the embedded server's data folder; default a temporary one), LOG_LEVEL / LOG_LEVELS.

// Python's getLogger(__name__): this is the entry module, so its name is '__main__'.
const logger = getLogger(moduleName(module));

const ITEMS = [
  { sku: 'KB-1', name: 'keyboard', priceCents: 4900 },
  { sku: 'MS-1', name: 'mouse', priceCents: 1900 },
  { sku: 'MN-1', name: 'monitor', priceCents: 18900 },
];

/** Routes one request; errors become JSON responses (a DatabaseError is already logged by the database module). */
async function route(db: Database, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const where = `${req.method ?? 'GET'} ${url.pathname}`;
  if (where === 'GET /health') return sendJson(res, 200, { status: 'ok' });
  if (where === 'POST /login') {
    const body = await readJsonBody(req);
    const username = stringField(body, 'username');
    const ok = await authenticateUser(db, username, stringField(body, 'password'));
    return sendJson(res, ok ? 200 : 401, ok ? { username } : { error: 'invalid username or password' });
  }
  if (where === 'GET /items') return sendJson(res, 200, await db.listItems());
  if (where === 'POST /orders') {
    const body = await readJsonBody(req);
    const username = stringField(body, 'username');
    const sku = stringField(body, 'sku');
    const quantity = body.quantity ?? 1;
    if (!Number.isInteger(quantity) || (quantity as number) < 1)
      throw new HttpError(400, '"quantity" must be a positive integer');
    if ((await db.findUser(username)) === null) throw new HttpError(404, `no user ${username}`);
    if ((await db.findItem(sku)) === null) throw new HttpError(404, `no item ${sku}`);
    const id = await db.addOrder({ username, sku, quantity: quantity as number, createdAt: new Date() });
    return sendJson(res, 201, { id });
  }
  if (where === 'GET /orders') {
    const username = url.searchParams.get('username');
    if (!username) throw new HttpError(400, 'the "username" query parameter is required');
    return sendJson(res, 200, await db.ordersOf(username));
  }
  throw new HttpError(404, `no route ${where}`);
}

function handler(db: Database): http.RequestListener {
  // One log context per request: every line logged while it is handled (in the database, auth and
  // utils modules too, across their awaits) carries %(requestId)s, taken from the x-request-id header
  // or generated, and echoed in the response. One access line per response at INFO from 'http.access'.
  const withContext = requestContext({ accessLog: 'http.access' });
  return (req, res) => {
    withContext(req, res, () => {
      route(db, req, res).catch((err: unknown) => {
        if (err instanceof HttpError) return sendJson(res, err.status, { error: err.message });
        if (err instanceof DatabaseError) return sendJson(res, 503, { error: 'database unavailable' });
        logger.exception('Unhandled error in %s %s', req.method, req.url, err);
        if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
        else res.destroy();
      });
    });
  };
}

/** `PORT` as a TCP port; bad configuration fails before anything starts, naming the variable and the value. */
function portFromEnv(value: string | undefined): number {
  const port = Number(value ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT=${JSON.stringify(value)} is not allowed; use a port number from 0 to 65535`);
  return port;
}

async function main(): Promise<void> {
  const production = process.env.NODE_ENV === 'production';
  const logDir = process.env.LOG_DIR ?? 'logs';
  const dbName = process.env.MONGODB_DB ?? 'webapp';
  const port = portFromEnv(process.env.PORT);
  mkdirSync(logDir, { recursive: true });
  let embedded: FerretDBInstance | undefined;
  let mongoUri = process.env.MONGODB_URI;
  if (!mongoUri) {
    embedded = await startEmbeddedMongo(process.env.FERRETDB_DATA_DIR);
    mongoUri = embedded.uri;
  }
  try {
    configureLogging(webAppLoggingConfig({ logDir, mongoUri, dbName, production }));
  } catch (err) {
    // A bad LOG_LEVEL / LOG_LEVELS, say: nothing is logged yet, so the embedded server just goes.
    await embedded?.stop();
    throw err;
  }
  // Uncaught exceptions and rejections: logged at CRITICAL with their traceback, flushed, exit code 1.
  // SIGINT/SIGTERM are handled below (the server closes first).
  installExitHandlers({ signals: [] });
  logger.info('Starting the application (%s)', production ? 'production' : 'development');
  if (embedded) {
    const kept = process.env.FERRETDB_DATA_DIR;
    logger.info('Embedded FerretDB on %s (%s)', embedded.uri, kept ? `data in ${kept}` : 'temporary data');
  }

  // What a failed start and a signal both end with: the logs flushed, then the server that receives them stopped.
  const finish = async (failed: boolean): Promise<void> => {
    const report = await shutdown({ timeoutMs: 5000 });
    await embedded?.stop();
    if (failed || !report.delivered) process.exitCode = 1;
  };

  let db: Database;
  try {
    db = await Database.connect({ uri: mongoUri, dbName });
    await db.seed([await hashPassword(SEED_USER.username, SEED_USER.password)], ITEMS);
  } catch (err) {
    if (!(err instanceof DatabaseError)) logger.exception('Start-up failed', err);
    return finish(true);
  }

  const server = http.createServer(handler(db));
  server.once('error', (err) => {
    // EADDRINUSE and the like: nothing was served, so nothing is left to drain.
    logger.exception('Cannot listen on 127.0.0.1:%d', port, err);
    void db.close().then(() => finish(true));
  });
  server.listen(port, '127.0.0.1', () => {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    logger.info('Listening on %s', url);
    console.log(`web-app listening on ${url} (logs in ${logDir}, MongoDB ${mongoUri})`);
  });

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info('Received %s: shutting down', signal);
    // Stop accepting, let the requests in flight finish, then close the data client, flush the logs
    // (files and MongoDB) and only then stop the embedded server that receives them.
    server.close(() => {
      void (async () => {
        await db.close().catch((err: unknown) => logger.exception('Closing the database failed', err));
        logger.info('Application finished');
        await finish(false);
      })();
    });
    server.closeIdleConnections();
    // A client that keeps its connection open after its response must not hold the shutdown up.
    setTimeout(() => server.closeAllConnections(), 5000).unref();
  };
  // `on`, not `once`: a Ctrl-C reaches both tsx and the app, and tsx forwards it again; a repeated signal
  // must not kill the app in the middle of flushing its logs (the flush is bounded by its timeout).
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  // Only before logging is configured (bad PORT, no FerretDB, a bad level variable): nothing to log through.
  console.error(`web-app failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
