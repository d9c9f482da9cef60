import winston from 'winston';
import { ConfigError } from '../../../src/errors';
import { MongoTransport } from '../../../transports/mongo/mongo-transport';
import type { MongoTransportOptions } from '../../../transports/mongo/mongo-transport';
import { freePort } from '../../helpers/ferretdb';

const URI = 'mongodb://127.0.0.1:1/';

describe('new MongoTransport(options) validation', () => {
  it.each<[string, unknown, RegExp]>([
    ['neither uri nor client', {}, /neither uri nor client/],
    ['both uri and client', { uri: URI, client: {} }, /both uri and client/],
    [
      'a uri that is not a connection string',
      { uri: 'http://x' },
      /MongoTransport\.uri: "http:\/\/x" is not allowed/,
    ],
    [
      'a client that is not a driver object',
      { client: { foo: 1 } },
      /MongoTransport\.client: \{"foo":1\} is not allowed/,
    ],
    [
      'batchSize 0',
      { uri: URI, batchSize: 0 },
      /MongoTransport\.batchSize: 0 is not allowed; use an integer from 1/,
    ],
    [
      'bufferSize below batchSize',
      { uri: URI, batchSize: 100, bufferSize: 10 },
      /bufferSize: 10 .*at least batchSize \(100\)/,
    ],
    [
      'an unknown overflow policy',
      { uri: URI, overflow: 'drop-all' },
      /overflow: "drop-all" is not allowed; use "drop-newest" or "drop-oldest"/,
    ],
    ['an unknown flushLevel', { uri: URI, flushLevel: 'loud' }, /flushLevel: "loud" is not a level/],
    ['capped without size', { uri: URI, capped: {} }, /MongoTransport\.capped: \{\} is not allowed/],
    [
      'capped with TTL',
      { uri: URI, capped: { size: 4096 }, expireAfterSeconds: 60 },
      /not allowed together with capped/,
    ],
    [
      'a collection starting with system.',
      { uri: URI, collection: 'system.x' },
      /collection: "system\.x" is not allowed/,
    ],
    ['a metaKey with a dot', { uri: URI, metaKey: 'a.b' }, /metaKey: "a\.b" is not allowed/],
    [
      'maxDocumentBytes over 16 MiB',
      { uri: URI, maxDocumentBytes: 17 * 1024 * 1024 },
      /maxDocumentBytes: 17825792 is not allowed/,
    ],
    [
      'a negative retry delay',
      { uri: URI, retry: { initialDelayMs: -1 } },
      /retry\.initialDelayMs: -1 is not allowed/,
    ],
  ])('rejects %s with a ConfigError naming key, value and what is allowed', (_what, options, message) => {
    let thrown: unknown;
    try {
      new MongoTransport(options as MongoTransportOptions);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as Error).message).toMatch(message);
  });

  it('defaults to level "error" and name "mongodb"', async () => {
    const t = new MongoTransport({ uri: URI });
    expect(t.level).toBe('error');
    expect(t.name).toBe('mongodb');
    await t.close();
  });
});

describe('MongoTransport with no server listening', () => {
  it('log() returns at once, records wait in the buffer, flush() reports them pending, close() never throws', async () => {
    const port = await freePort();
    const t = new MongoTransport({
      uri: `mongodb://127.0.0.1:${port}/`,
      clientOptions: { serverSelectionTimeoutMS: 200 },
      retry: { initialDelayMs: 20, maxDelayMs: 100 },
      closeTimeoutMs: 300,
    });
    const warnings: string[] = [];
    t.on('warn', (e: Error) => warnings.push(e.message));
    const logger = winston.createLogger({ transports: [t] });
    for (let i = 0; i < 100; i++) logger.error(`record ${i}`);
    expect(t.stats()).toMatchObject({ received: 100, pending: 100, stored: 0 });
    expect(await t.flush(400)).toEqual({ pending: 100 });
    const report = await t.close();
    expect(report).toEqual({ pending: 100, dropped: 0 });
    expect(await t.close()).toBe(report);
    // One report for the outage and one for what close() could not deliver, not one per record or retry.
    expect(warnings.filter((w) => w.includes('cannot store records'))).toHaveLength(1);
    expect(warnings.some((w) => w.includes('100 record(s) were not delivered'))).toBe(true);
  });
});
