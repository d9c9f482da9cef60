// The parts of the mongodb driver's API that MongoTransport uses, as structural types of our own.
// mongodb is an optional peer: the published declarations must compile (with skipLibCheck: false) in
// projects that do not install it, so nothing here imports 'mongodb'. A real MongoClient, Db and
// Collection (driver 6.5 and later) are assignable to these shapes; the real-server tests pass them.

/** A BSON document as the transport reads and writes it. */
export interface MongoDocument {
  [key: string]: unknown;
}

/** The options of `new MongoClient(uri, options)`: passed to the app's driver as they are. */
export interface MongoClientOptionsLike {
  [option: string]: unknown;
}

/** The cursor returned by `Collection.find()`, as far as the query API uses it. */
export interface MongoFindCursorLike {
  sort(sort: { [field: string]: 1 | -1 }): MongoFindCursorLike;
  skip(value: number): MongoFindCursorLike;
  limit(value: number): MongoFindCursorLike;
  project(projection: MongoDocument): MongoFindCursorLike;
  toArray(): Promise<MongoDocument[]>;
}

/** A mongodb `Collection`: what the transport inserts into, indexes and queries. */
export interface MongoCollectionLike {
  readonly collectionName: string;
  insertMany(docs: readonly MongoDocument[], options?: { ordered?: boolean }): Promise<unknown>;
  createIndex(
    keys: { [field: string]: 1 | -1 },
    options?: { name?: string; expireAfterSeconds?: number },
  ): Promise<string>;
  find(filter: MongoDocument): MongoFindCursorLike;
}

/** A mongodb `Db`: where the transport finds (and, when capped, creates) its collection. */
export interface MongoDbLike {
  readonly databaseName: string;
  collection(name: string): MongoCollectionLike;
  createCollection(
    name: string,
    options?: { capped?: boolean; size?: number; max?: number },
  ): Promise<unknown>;
}

/** A mongodb `MongoClient`. */
export interface MongoClientLike {
  /** The options the driver parsed from the URI and the client options (`dbName` among them). */
  readonly options?: { readonly dbName?: unknown };
  db(dbName?: string): MongoDbLike;
  connect(): Promise<unknown>;
  close(): Promise<void>;
}

/** The `mongodb` module, as far as the transport loads it (for `uri`). */
export interface MongoDriverLike {
  MongoClient: new (uri: string, options?: MongoClientOptionsLike) => MongoClientLike;
}
