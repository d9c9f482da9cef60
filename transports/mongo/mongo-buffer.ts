import type { DropSummary } from './mongo-document';

/**
 * What happens to a record that arrives while the buffer is full.
 * - `'drop-newest'`: the arriving record is dropped; what is already buffered is kept (the first
 *   errors of an outage usually explain it). Python's `QueueHandler` on a full bounded queue behaves
 *   the same way.
 * - `'drop-oldest'`: the oldest buffered record that is not being sent is dropped to make room, so
 *   the most recent records survive.
 */
export type OverflowPolicy = 'drop-newest' | 'drop-oldest';

/** Where dropped records were: stored as a marker document in their place. */
export class DropMarker implements DropSummary {
  count = 0;
  firstAt: number;
  lastAt: number;

  constructor(
    readonly policy: OverflowPolicy,
    now: number,
  ) {
    this.firstAt = now;
    this.lastAt = now;
  }

  /** Counts one more dropped record. */
  add(now: number): void {
    this.count++;
    this.lastAt = now;
  }
}

/** Options for {@link MongoBuffer}. */
export interface MongoBufferOptions<T> {
  /** Most records held (queued plus being sent); markers do not count. */
  capacity: number;
  /** Most bytes held (queued plus being sent), as `sizeOf` counts them. @defaultValue Infinity */
  maxBytes?: number;
  /** The size of a record, in bytes (the transport passes its BSON estimate). @defaultValue () => 0 */
  sizeOf?: (record: T) => number;
  /** What to drop when full. */
  overflow: OverflowPolicy;
}

/** A buffered entry: a record or a marker standing for dropped records. */
export type BufferEntry<T> = T | DropMarker;

/**
 * The transport's bounded FIFO of records. Records are taken in batches (`take`) and stay counted
 * until the batch is stored (`commit`), so a failed batch is retried first and order is kept. When
 * full, the overflow policy drops records and a {@link DropMarker} takes their place in the queue:
 * for `'drop-newest'` at the tail (the gap is after what was kept), for `'drop-oldest'` at the head.
 */
export class MongoBuffer<T extends object> {
  private entries: Array<BufferEntry<T> | undefined> = [];
  private head = 0;
  private records = 0;
  private queuedBytes = 0;
  private inFlightRecords = 0;
  private inFlightBytes = 0;
  private inFlight: Array<BufferEntry<T>> = [];
  private readonly sizeOf: (record: T) => number;
  /** Records dropped by the overflow policy since the buffer was created. */
  dropped = 0;
  readonly capacity: number;
  readonly maxBytes: number;
  readonly overflow: OverflowPolicy;

  constructor(options: MongoBufferOptions<T>) {
    this.capacity = options.capacity;
    this.maxBytes = options.maxBytes ?? Infinity;
    this.sizeOf = options.sizeOf ?? (() => 0);
    this.overflow = options.overflow;
  }

  /** Bytes not stored yet (queued plus the batch being sent), as `sizeOf` counts them. */
  get bytes(): number {
    return this.queuedBytes + this.inFlightBytes;
  }

  private full(size: number): boolean {
    return this.pending >= this.capacity || (this.bytes + size > this.maxBytes && this.pending > 0);
  }

  /** Records queued and not yet taken. */
  get queued(): number {
    return this.records;
  }

  /** Records not stored yet: queued plus the batch being sent. */
  get pending(): number {
    return this.records + this.inFlightRecords;
  }

  /** Entries (records and markers) queued and not yet taken. */
  get length(): number {
    return this.entries.length - this.head;
  }

  /**
   * Adds a record. Returns false when the record itself was dropped (`'drop-newest'`, or nothing
   * droppable is queued); with `'drop-oldest'` older records may be dropped instead (returns true):
   * as many as it takes to fit the record within `capacity` and `maxBytes`. Every dropped record is
   * counted in {@link dropped}. A record bigger than `maxBytes` on its own is kept when the buffer is
   * empty (the transport caps documents below `maxBytes`).
   */
  push(record: T, now: number): boolean {
    const size = this.sizeOf(record);
    if (this.overflow === 'drop-oldest') {
      while (this.full(size) && this.dropOldest(now)) this.dropped++;
    }
    if (!this.full(size)) {
      this.entries.push(record);
      this.records++;
      this.queuedBytes += size;
      return true;
    }
    this.dropped++;
    const tail = this.entries.length > this.head ? this.entries[this.entries.length - 1] : undefined;
    if (tail instanceof DropMarker) {
      tail.add(now);
    } else {
      const marker = new DropMarker(this.overflow, now);
      marker.add(now);
      this.entries.push(marker);
    }
    return false;
  }

  // Drops the first queued record, keeping (or creating) the marker in front of what remains.
  private dropOldest(now: number): boolean {
    if (this.records === 0) return false;
    let i = this.head;
    const first = this.entries[i];
    let marker: DropMarker;
    if (first instanceof DropMarker) {
      marker = first;
      i++;
    } else {
      marker = new DropMarker(this.overflow, now);
    }
    // Markers are only ever at the head (drop-oldest) or the tail after the records (drop-newest),
    // so the entry after a head marker is a record.
    const victim = this.entries[i];
    if (victim === undefined || victim instanceof DropMarker) return false;
    marker.add(now);
    this.records--;
    this.queuedBytes -= this.sizeOf(victim);
    this.entries[i] = marker;
    if (i !== this.head) {
      this.entries[this.head] = undefined;
      this.head++;
    }
    return true;
  }

  /**
   * Takes up to `max` records (and any markers among them) from the head as the batch being sent.
   * Returns undefined when a batch is already out or nothing is queued.
   */
  take(max: number): Array<BufferEntry<T>> | undefined {
    if (this.inFlight.length > 0 || this.length === 0) return undefined;
    const batch: Array<BufferEntry<T>> = [];
    let n = 0;
    let bytes = 0;
    while (this.head < this.entries.length && n < max) {
      const e = this.entries[this.head];
      this.entries[this.head] = undefined;
      this.head++;
      if (e === undefined) continue;
      batch.push(e);
      if (!(e instanceof DropMarker)) {
        n++;
        bytes += this.sizeOf(e);
      }
    }
    this.records -= n;
    this.queuedBytes -= bytes;
    this.inFlightRecords = n;
    this.inFlightBytes = bytes;
    this.inFlight = batch;
    this.compact();
    return batch;
  }

  /** Calls `fn` on the queued records (markers skipped), oldest first, at most `max` of them. */
  forEachQueued(max: number, fn: (record: T) => void): void {
    let n = 0;
    for (let i = this.head; i < this.entries.length && n < max; i++) {
      const e = this.entries[i];
      if (e === undefined || e instanceof DropMarker) continue;
      fn(e);
      n++;
    }
  }

  /** The oldest record not stored yet: in the batch being sent, else the first queued. */
  oldest(): T | undefined {
    for (const e of this.inFlight) if (!(e instanceof DropMarker)) return e;
    for (let i = this.head; i < this.entries.length; i++) {
      const e = this.entries[i];
      if (e !== undefined && !(e instanceof DropMarker)) return e;
    }
    return undefined;
  }

  /** The batch taken last is stored: forget it. Returns how many records it held. */
  commit(): number {
    const n = this.inFlightRecords;
    this.inFlight = [];
    this.inFlightRecords = 0;
    this.inFlightBytes = 0;
    return n;
  }

  /** Removes everything (records are lost); returns how many records were pending. */
  clear(): number {
    const n = this.pending;
    this.entries = [];
    this.head = 0;
    this.records = 0;
    this.queuedBytes = 0;
    this.inFlight = [];
    this.inFlightRecords = 0;
    this.inFlightBytes = 0;
    return n;
  }

  private compact(): void {
    if (this.head === this.entries.length) {
      this.entries = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }
}
