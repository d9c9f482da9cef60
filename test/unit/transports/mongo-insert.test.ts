import type { Collection, Document } from 'mongodb';
import winston from 'winston';
import { MongoTransport } from '../../../transports/mongo/mongo-transport';
import type { MongoTransportOptions } from '../../../transports/mongo/mongo-transport';

// MongoTransport's batching, retry and fallback logic, driven through the real transport and a real
// winston logger against a small in-process collection. The fake is used only for what a real server
// cannot be made to do on cue (the real-FerretDB tests remain the main proof):
//  - a batch partly stored when the connection breaks (the server stored some documents, the client
//    never got the answer), then the retry's duplicate-key errors;
//  - a whole-batch duplicate-key error without per-document errors;
//  - an answer that accounts for only some documents (neither stored nor refused);
//  - documents a server refuses one by one (FerretDB and MongoDB refuse nothing the sanitiser lets
//    through), and a refusal of the reduced fallback copy too;
//  - a whole batch refused with a server code, for one document's content or for no document's (the
//    driver's own whole-batch refusal, BSONVersionError, is proven against FerretDB);
//  - an app-supplied collection whose insertMany never answers (the own-client case is proven against a
//    SIGSTOPped FerretDB in the fault suite);
//  - a batch held in flight at an exact point while the overflow policy runs.

type Behaviour = (docs: Document[], fake: FakeCollection) => void;

interface WriteError {
  index: number;
  code: number;
  errmsg: string;
}

class BulkError extends Error {
  override name = 'MongoBulkWriteError';
  constructor(
    readonly writeErrors: WriteError[],
    readonly insertedCount: number,
    readonly code?: number,
  ) {
    super(`bulk write failed (${writeErrors.length} write errors)`);
  }
}

class NetworkError extends Error {
  override name = 'MongoNetworkError';
}

class ServerError extends Error {
  override name = 'MongoServerError';
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

/** A collection that stores documents by _id, assigns _id like the driver, and follows a script. */
class FakeCollection {
  readonly collectionName = 'log';
  readonly stored = new Map<string, Document>();
  readonly calls: number[] = [];
  private readonly script: Behaviour[];
  gate: Promise<void> | undefined;

  constructor(script: Behaviour[] = []) {
    this.script = script;
  }

  async insertMany(docs: Document[], _options?: unknown): Promise<{ insertedCount: number }> {
    // The driver assigns _id on the documents themselves, once: a retry sends the same ids.
    for (const d of docs) d._id ??= `id${this.stored.size}-${Math.random().toString(36).slice(2)}`;
    this.calls.push(docs.length);
    if (this.gate !== undefined) await this.gate;
    const behaviour = this.script.shift();
    if (behaviour !== undefined) {
      behaviour(docs, this);
      return { insertedCount: docs.length };
    }
    return this.storeAll(docs);
  }

  /** Stores what is new; duplicates come back as code 11000 write errors, as a server answers. */
  storeAll(docs: Document[], refuse: (d: Document) => boolean = () => false): { insertedCount: number } {
    const errors: WriteError[] = [];
    let inserted = 0;
    docs.forEach((d, index) => {
      const id = String(d._id);
      if (this.stored.has(id)) errors.push({ index, code: 11000, errmsg: `E11000 duplicate key ${id}` });
      else if (refuse(d)) errors.push({ index, code: 2, errmsg: 'document refused: bad value' });
      else {
        this.stored.set(id, d);
        inserted++;
      }
    });
    if (errors.length > 0) throw new BulkError(errors, inserted);
    return { insertedCount: inserted };
  }

  createIndex(): Promise<string> {
    return Promise.resolve('ok');
  }

  messages(): unknown[] {
    return [...this.stored.values()].map((d) =>
      d.dropped !== undefined ? `marker ${(d.dropped as { count: number }).count}` : d.msg,
    );
  }
}

const opened: MongoTransport[] = [];
afterEach(async () => {
  for (const t of opened.splice(0)) await t.close();
});

function setup(
  fake: FakeCollection,
  options: Partial<MongoTransportOptions> = {},
): { t: MongoTransport; logger: winston.Logger; warnings: string[] } {
  const t = new MongoTransport({
    client: fake as unknown as Collection,
    retry: { initialDelayMs: 1, maxDelayMs: 5 },
    // The reports are asserted through 'warn'; stderr stays quiet in the runner's output.
    faultsToStderr: false,
    ...options,
  });
  const warnings: string[] = [];
  t.on('warn', (e: Error) => warnings.push(e.message));
  opened.push(t);
  return { t, logger: winston.createLogger({ transports: [t] }), warnings };
}

describe('MongoTransport under a plain winston logger with splat()', () => {
  it('stores the message interpolated once: the transport watches splat() itself (no pythonFormat in this process)', async () => {
    // CPython 3.11: logging.error('count %d items', 5) → getMessage() 'count 5 items'.
    const fake = new FakeCollection();
    const { t } = setup(fake);
    const logger = winston.createLogger({ format: winston.format.splat(), transports: [t] });
    logger.error('count %d items', 5);
    expect(await t.flush(5000)).toEqual({ pending: 0 });
    expect([...fake.stored.values()].map((d) => [d.message, d.args])).toEqual([['count 5 items', []]]);
  });
});

describe('MongoTransport.insert() outcomes (in-process collection)', () => {
  it('a batch partly stored before the connection broke is retried whole; the duplicates count as stored, each record once', async () => {
    const fake = new FakeCollection([
      (docs, f) => {
        for (const d of docs.slice(0, 3)) f.stored.set(String(d._id), d);
        throw new NetworkError('connection reset while reading the reply');
      },
    ]);
    const { t, logger, warnings } = setup(fake);
    for (let i = 0; i < 5; i++) logger.error(`rec ${i}`);
    expect(await t.flush(5000)).toEqual({ pending: 0 });
    expect(fake.calls).toEqual([5, 5]);
    expect(fake.messages()).toEqual(['rec 0', 'rec 1', 'rec 2', 'rec 3', 'rec 4']);
    expect(t.stats()).toMatchObject({ received: 5, stored: 5, pending: 0, abandoned: 0, batches: 1 });
    expect(warnings).toEqual([expect.stringContaining('cannot store records (5 waiting)')]);
  });

  it('a whole-batch duplicate-key error (no per-document errors) means an earlier attempt stored it', async () => {
    const fake = new FakeCollection([
      () => {
        throw new BulkError([], 0, 11000);
      },
    ]);
    const { t, logger } = setup(fake);
    logger.error('only once');
    expect(await t.flush(5000)).toEqual({ pending: 0 });
    expect(fake.calls).toEqual([1]);
    expect(t.stats()).toMatchObject({ stored: 1, abandoned: 0 });
  });

  it('an answer that accounts for only some documents is retried until every one is stored or refused', async () => {
    const fake = new FakeCollection([
      (docs, f) => {
        f.stored.set(String(docs[0]?._id), docs[0] as Document);
        // One stored, one refused for a transient reason, two not accounted for at all.
        throw new BulkError([{ index: 1, code: 91, errmsg: 'shutting down' }], 1);
      },
    ]);
    const { t, logger } = setup(fake);
    for (let i = 0; i < 4; i++) logger.error(`rec ${i}`);
    expect(await t.flush(5000)).toEqual({ pending: 0 });
    expect(fake.calls).toEqual([4, 4]);
    expect(fake.messages()).toEqual(['rec 0', 'rec 1', 'rec 2', 'rec 3']);
    expect(t.stats()).toMatchObject({ stored: 4, abandoned: 0 });
  });

  it('documents the server refuses are stored as reduced copies; the others as they are', async () => {
    const fake = new FakeCollection([(docs, f) => f.storeAll(docs, (d) => String(d.msg).includes('bad'))]);
    const { t, logger, warnings } = setup(fake);
    logger.error('good 1');
    logger.error('bad 2');
    logger.error('good 3');
    expect(await t.flush(5000)).toEqual({ pending: 0 });
    expect(fake.calls).toEqual([3, 1]);
    const docs = [...fake.stored.values()];
    expect(docs.map((d) => d.msg)).toEqual(['good 1', 'good 3', expect.stringContaining('bad 2')]);
    expect(JSON.stringify(docs[2])).toContain('document refused: bad value');
    expect(t.stats()).toMatchObject({ stored: 3, abandoned: 0 });
    expect(warnings).toEqual([expect.stringContaining('refused 1 record(s); storing reduced copies')]);
  });

  it('a whole batch refused for a document (InvalidBSON, no writeErrors) is sent one by one: that one reduced, the others whole', async () => {
    const store: Behaviour = (docs, f) => f.storeAll(docs);
    const invalid: Behaviour = () => {
      throw new ServerError('invalid BSON in document', 22);
    };
    const fake = new FakeCollection([invalid, store, invalid, store, store]);
    const { t, logger, warnings } = setup(fake);
    logger.error('good 1');
    logger.error('bad 2');
    logger.error('good 3');
    expect(await t.flush(5000)).toEqual({ pending: 0 });
    expect(fake.calls).toEqual([3, 1, 1, 1, 1]);
    const docs = [...fake.stored.values()];
    expect(docs.map((d) => [d.msg, d.unstorable ?? null])).toEqual([
      ['good 1', null],
      ['bad 2', 'MongoServerError: invalid BSON in document'],
      ['good 3', null],
    ]);
    expect(t.stats()).toMatchObject({ stored: 3, abandoned: 0, pending: 0 });
    expect(warnings).toEqual([expect.stringContaining('refused 1 record(s); storing reduced copies')]);
  });

  it("a whole-batch refusal that is no document's (rights, a dropped connection inside the bulk error) is retried whole", async () => {
    const invalid: Behaviour = () => {
      throw new ServerError('invalid BSON', 22);
    };
    const fake = new FakeCollection([
      () => {
        throw new ServerError('not authorized on db to execute command insert', 13);
      },
      () => {
        throw new BulkError([], 0);
      },
      // The batch refused for a document's content, then that document alone, and its reduced copy
      // too: not the document's fault either.
      invalid,
      invalid,
      invalid,
    ]);
    const { t, logger } = setup(fake);
    for (let i = 0; i < 3; i++) logger.error(`rec ${i}`);
    expect(await t.flush(5000)).toEqual({ pending: 0 });
    expect(fake.calls).toEqual([3, 3, 3, 1, 1, 3]);
    expect(fake.messages()).toEqual(['rec 0', 'rec 1', 'rec 2']);
    expect([...fake.stored.values()].every((d) => d.unstorable === undefined)).toBe(true);
    expect(t.stats()).toMatchObject({ received: 3, stored: 3, abandoned: 0, pending: 0 });
  });

  it('a document refused even in its reduced form is abandoned, counted and reported once', async () => {
    const refuseBad = (d: Document): boolean => JSON.stringify(d).includes('bad');
    const fake = new FakeCollection([
      (docs, f) => f.storeAll(docs, refuseBad),
      (docs, f) => f.storeAll(docs, refuseBad),
    ]);
    const { t, logger, warnings } = setup(fake);
    logger.error('good');
    logger.error('bad');
    expect(await t.flush(5000)).toEqual({ pending: 0 });
    expect(fake.messages()).toEqual(['good']);
    expect(t.stats()).toMatchObject({ received: 2, stored: 1, abandoned: 1, pending: 0 });
    expect(warnings.filter((w) => w.includes('refused'))).toHaveLength(1);
  });

  it('an app-supplied collection that never answers is reported after writeTimeoutMs and retried', async () => {
    let hang = true;
    const fake = new FakeCollection();
    const original = fake.insertMany.bind(fake);
    fake.insertMany = (docs: Document[]) => {
      if (hang) {
        hang = false;
        for (const d of docs) d._id ??= `hung-${String(d.msg)}`;
        return new Promise(() => undefined);
      }
      return original(docs);
    };
    const { t, logger, warnings } = setup(fake, { writeTimeoutMs: 50 });
    logger.error('waits for a server that does not answer');
    expect(await t.flush(5000)).toEqual({ pending: 0 });
    expect(warnings).toEqual([expect.stringContaining('the server did not answer within 50 ms')]);
    expect(fake.messages()).toEqual(['waits for a server that does not answer']);
  });
});

describe('overflow policies with a batch in flight (in-process collection held at a gate)', () => {
  it.each([
    ['drop-newest', ['rec 0', 'rec 1', 'rec 2', 'rec 3', 'rec 4', 'rec 5', 'marker 4', 'late']],
    ['drop-oldest', ['rec 0', 'rec 1', 'marker 4', 'rec 6', 'rec 7', 'rec 8', 'rec 9', 'late']],
  ] as const)(
    '%s: the batch in flight is never dropped; one marker stands for the gap',
    async (overflow, expected) => {
      const fake = new FakeCollection();
      let open!: () => void;
      fake.gate = new Promise((r) => (open = r));
      const { t, logger, warnings } = setup(fake, { batchSize: 2, bufferSize: 6, overflow });
      logger.error('rec 0');
      logger.error('rec 1');
      // Let the first batch (rec 0, rec 1) leave for the gate.
      await new Promise((r) => setImmediate(r));
      for (let i = 2; i < 10; i++) logger.error(`rec ${i}`);
      expect(t.stats()).toMatchObject({ received: 10, pending: 6, dropped: 4 });
      expect(warnings.filter((w) => w.includes('buffer full'))).toHaveLength(1);
      fake.gate = undefined;
      open();
      expect(await t.flush(5000)).toEqual({ pending: 0 });
      logger.error('late');
      expect(await t.flush(5000)).toEqual({ pending: 0 });
      expect(fake.messages()).toEqual(expected);
      expect(warnings.filter((w) => w.includes('dropped 4 record(s)'))).toHaveLength(1);
    },
  );
});
