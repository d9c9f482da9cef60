import winston from 'winston';
import { ConfigError } from '../../../src/errors';
import { MongoTransport } from '../../../transports/mongo/mongo-transport';
import type { MongoTransportOptions } from '../../../transports/mongo/mongo-transport';
import { freePort } from '../../helpers/ferretdb';

const URI = 'mongodb://127.0.0.1:1/';

describe('new MongoTransport(options) validation', () => {
  it.each<[string, unknown, RegExp]>([
    ['neither uri nor client', {}, /option "uri" is undefined; expected uri .* or client/],
    ['both uri and client', { uri: URI, client: {} }, /option "client" .*expected uri or client, not both/],
    [
      'a uri that is not a connection string',
      { uri: 'http://x' },
      /MongoTransport: option "uri" is "http:\/\/x"; expected a connection string starting with mongodb:\/\//,
    ],
    // The next four come from the installed driver's own parser (a MongoClient constructed, never connected).
    [
      'a uri the driver cannot parse (port out of range)',
      { uri: 'mongodb://127.0.0.1:99999/' },
      /option "uri" is "mongodb:\/\/127\.0\.0\.1:99999\/"; the mongodb driver cannot parse it \(.*99999/,
    ],
    [
      'a uri with an option the driver does not know',
      { uri: 'mongodb://127.0.0.1/?colection=x' },
      /option "uri" .*cannot parse it \(option colection is not supported\)/,
    ],
    [
      'a uri whose database name is invalid',
      { uri: 'mongodb://127.0.0.1/a.b' },
      /option "uri" is "mongodb:\/\/127\.0\.0\.1\/a\.b"; its database "a\.b" is not a valid name/,
    ],
    [
      'clientOptions the driver refuses',
      { uri: URI, clientOptions: { serverSelectionTimeoutMS: -5 } },
      /option "clientOptions" is \{"serverSelectionTimeoutMS":-5\}; the mongodb driver refuses it \(serverSelectionTimeoutMS/,
    ],
    [
      'a password is never printed',
      { uri: 'mongodb://app:s3cret@127.0.0.1:99999/' },
      /option "uri" is "mongodb:\/\/app:\*\*\*@127\.0\.0\.1:99999\/"/,
    ],
    [
      'an invalid database name',
      { uri: URI, dbName: 'my db' },
      /option "dbName" is "my db"; expected a database name of 1-63 characters/,
    ],
    [
      'a misspelt option (colection)',
      { uri: URI, colection: 'errors' },
      /option "colection" is "errors"; unknown option \(did you mean "collection"\?\); expected one of uri, client/,
    ],
    [
      'an unknown option with nothing close',
      { uri: URI, zzzzzzzz: 1 },
      /option "zzzzzzzz" is 1; unknown option; expected one of/,
    ],
    [
      'a client that is not a driver object',
      { client: { foo: 1 } },
      /option "client" is \{"foo":1\}; expected a MongoClient, Db or Collection/,
    ],
    [
      'batchSize 0',
      { uri: URI, batchSize: 0 },
      /option "batchSize" is 0; expected an integer from 1 to 100000/,
    ],
    [
      'bufferSize below batchSize',
      { uri: URI, batchSize: 100, bufferSize: 10 },
      /option "bufferSize" is 10; expected at least batchSize \(100\)/,
    ],
    [
      'bufferBytes below 1 KiB',
      { uri: URI, bufferBytes: 10 },
      /option "bufferBytes" is 10; expected an integer from 1024/,
    ],
    [
      'bufferBytes below maxDocumentBytes',
      { uri: URI, bufferBytes: 4096, maxDocumentBytes: 8192 },
      /option "bufferBytes" is 4096; expected at least maxDocumentBytes \(8192\)/,
    ],
    [
      'writeTimeoutMs 0',
      { uri: URI, writeTimeoutMs: 0 },
      /option "writeTimeoutMs" is 0; expected an integer from 1/,
    ],
    [
      'an unknown overflow policy',
      { uri: URI, overflow: 'drop-all' },
      /option "overflow" is "drop-all"; expected 'drop-newest' or 'drop-oldest'/,
    ],
    [
      'an unknown flushLevel',
      { uri: URI, flushLevel: 'loud' },
      /option "flushLevel" is "loud"; expected a level name/,
    ],
    ['capped without size', { uri: URI, capped: {} }, /option "capped" is \{\}; expected \{ size/],
    [
      'capped with TTL',
      { uri: URI, capped: { size: 4096 }, expireAfterSeconds: 60 },
      /option "expireAfterSeconds" is 60; not allowed together with capped/,
    ],
    [
      'a collection starting with system.',
      { uri: URI, collection: 'system.x' },
      /option "collection" is "system\.x"; expected a collection name/,
    ],
    [
      'a metaKey with a dot',
      { uri: URI, metaKey: 'a.b' },
      /option "metaKey" is "a\.b"; expected a non-empty key/,
    ],
    [
      'maxDocumentBytes over 16 MiB',
      { uri: URI, maxDocumentBytes: 17 * 1024 * 1024 },
      /option "maxDocumentBytes" is 17825792; expected an integer from 1024 to 16777216/,
    ],
    [
      'a negative retry delay',
      { uri: URI, retry: { initialDelayMs: -1 } },
      /option "retry\.initialDelayMs" is -1; expected a number > 0/,
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

  it('names every problem at once, and validateOptions() returns the same list without constructing', () => {
    const options = { uri: URI, colection: 'x', batchSize: 0 };
    expect(MongoTransport.validateOptions(options)).toEqual([
      expect.stringMatching(/option "colection"/),
      expect.stringMatching(/option "batchSize"/),
    ]);
    expect(() => new MongoTransport(options as MongoTransportOptions)).toThrow(/2 problems/);
    expect(MongoTransport.validateOptions({ uri: URI, collection: 'errors', dbName: 'app' })).toEqual([]);
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
