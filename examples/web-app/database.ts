import { MongoClient } from 'mongodb';
import type { Collection, Db } from 'mongodb';
import { getLogger } from '../../src/index';
import { elapsedMs } from './utils';

// The seed's database.py: the database module's own logger. Its queries are logged at DEBUG (seen in
// development), its failures with log.exception (ERROR with the traceback), which main's configuration
// also writes to database-errors.log and MongoDB.
const logger = getLogger('database');

/** A user who can log in (the password is stored as an scrypt hash, see auth.ts). */
export interface UserDoc {
  username: string;
  salt: string;
  passwordHash: string;
}

/** Something that can be ordered. */
export interface ItemDoc {
  sku: string;
  name: string;
  priceCents: number;
}

/** An order of `quantity` × item `sku` by `username`. */
export interface OrderDoc {
  username: string;
  sku: string;
  quantity: number;
  createdAt: Date;
}

/** Options for {@link Database.connect}. */
export interface DatabaseOptions {
  /** The MongoDB server (the same one that receives the database module's error records). */
  uri: string;
  /** @defaultValue 'webapp' */
  dbName?: string;
  /**
   * How long a query waits for a reachable server before it fails: a web request should get its 503
   * quickly while the database is down, not after the driver's 30 s default.
   * @defaultValue 2000
   */
  serverSelectionTimeoutMS?: number;
}

/** A query failed; the failure is already logged (with its traceback) by the database module. */
export class DatabaseError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'DatabaseError';
  }
}

/** The app's data: users, items and orders in one MongoDB database, every query logged. */
export class Database {
  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
  ) {}

  /** Connects (the seed's "Attempting to connect" / "Connected to the database") and checks the server answers. */
  static async connect(options: DatabaseOptions): Promise<Database> {
    const dbName = options.dbName ?? 'webapp';
    logger.debug('Attempting to connect to the database %s', dbName);
    const client = new MongoClient(options.uri, {
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 2000,
      appName: 'winston-pylogging-web-app',
    });
    try {
      await client.connect();
      await client.db(dbName).command({ ping: 1 });
    } catch (err) {
      logger.exception('Database connection failed', err);
      await client.close().catch(() => undefined);
      throw new DatabaseError('database connection failed', { cause: err });
    }
    logger.info('Connected to the database %s', dbName);
    return new Database(client, client.db(dbName));
  }

  private get users(): Collection<UserDoc> {
    return this.db.collection<UserDoc>('users');
  }

  private get items(): Collection<ItemDoc> {
    return this.db.collection<ItemDoc>('items');
  }

  private get orders(): Collection<OrderDoc> {
    return this.db.collection<OrderDoc>('orders');
  }

  // Every query goes through here: DEBUG before and after (with its duration), and on failure one
  // log.exception with the traceback, then a DatabaseError the caller turns into a 503.
  private async query<T>(what: string, args: unknown, run: () => Promise<T>): Promise<T> {
    const start = process.hrtime.bigint();
    logger.debug('Query %s %s', what, args);
    try {
      const result = await run();
      logger.debug('Query %s took %.2f ms', what, elapsedMs(start));
      return result;
    } catch (err) {
      logger.exception('Query %s failed after %.0f ms', what, elapsedMs(start), err);
      throw new DatabaseError(`${what} failed`, { cause: err });
    }
  }

  /** Creates what is missing: the users' unique index, the given users and items (existing ones are kept). */
  async seed(users: UserDoc[], items: ItemDoc[]): Promise<void> {
    await this.query('users.createIndex', { username: 1 }, () =>
      this.users.createIndex({ username: 1 }, { unique: true }),
    );
    for (const user of users) {
      await this.query('users.updateOne', { username: user.username }, () =>
        this.users.updateOne({ username: user.username }, { $setOnInsert: user }, { upsert: true }),
      );
    }
    for (const item of items) {
      await this.query('items.updateOne', { sku: item.sku }, () =>
        this.items.updateOne({ sku: item.sku }, { $setOnInsert: item }, { upsert: true }),
      );
    }
    logger.info('Database ready: %d user(s), %d item(s) ensured', users.length, items.length);
  }

  /** The user named `username`, or null. */
  findUser(username: string): Promise<UserDoc | null> {
    const filter = { username };
    return this.query('users.findOne', filter, () => this.users.findOne(filter, { projection: { _id: 0 } }));
  }

  /** Every item, by sku. */
  listItems(): Promise<ItemDoc[]> {
    return this.query('items.find', {}, () =>
      this.items
        .find({}, { projection: { _id: 0 } })
        .sort({ sku: 1 })
        .toArray(),
    );
  }

  /** The item with this sku, or null. */
  findItem(sku: string): Promise<ItemDoc | null> {
    const filter = { sku };
    return this.query('items.findOne', filter, () => this.items.findOne(filter, { projection: { _id: 0 } }));
  }

  /** Stores an order and returns its id. */
  async addOrder(order: OrderDoc): Promise<string> {
    const { insertedId } = await this.query(
      'orders.insertOne',
      { username: order.username, sku: order.sku },
      () => this.orders.insertOne({ ...order }),
    );
    logger.info(
      'Order %s stored: %d of %s for %s',
      insertedId.toHexString(),
      order.quantity,
      order.sku,
      order.username,
    );
    return insertedId.toHexString();
  }

  /** The orders of `username`, oldest first. */
  ordersOf(username: string): Promise<OrderDoc[]> {
    const filter = { username };
    return this.query('orders.find', filter, () =>
      this.orders
        .find(filter, { projection: { _id: 0 } })
        .sort({ createdAt: 1 })
        .toArray(),
    );
  }

  /** Closes the connection pool. */
  async close(): Promise<void> {
    await this.client.close();
    logger.info('Database connection closed');
  }
}
