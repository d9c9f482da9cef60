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
export interface MongoBufferOptions {
  /** Most records held (queued plus being sent); markers do not count. */
  capacity: number;
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
  private inFlightRecords = 0;
  private inFlight: Array<BufferEntry<T>> = [];
  /** Records dropped by the overflow policy since the buffer was created. */
  dropped = 0;
  readonly capacity: number;
  readonly overflow: OverflowPolicy;

  constructor(options: MongoBufferOptions) {
    this.capacity = options.capacity;
    this.overflow = options.overflow;
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
   * droppable is queued); with `'drop-oldest'` an older record may be dropped instead (returns true).
   * Either way exactly one record is counted in {@link dropped} when the buffer was full.
   */
  push(record: T, now: number): boolean {
    if (this.pending < this.capacity) {
      this.entries.push(record);
      this.records++;
      return true;
    }
    this.dropped++;
    if (this.overflow === 'drop-oldest' && this.dropOldest(now)) {
      this.entries.push(record);
      this.records++;
      return true;
    }
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
    while (this.head < this.entries.length && n < max) {
      const e = this.entries[this.head];
      this.entries[this.head] = undefined;
      this.head++;
      if (e === undefined) continue;
      batch.push(e);
      if (!(e instanceof DropMarker)) n++;
    }
    this.records -= n;
    this.inFlightRecords = n;
    this.inFlight = batch;
    this.compact();
    return batch;
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
    return n;
  }

  /** Removes everything (records are lost); returns how many records were pending. */
  clear(): number {
    const n = this.pending;
    this.entries = [];
    this.head = 0;
    this.records = 0;
    this.inFlight = [];
    this.inFlightRecords = 0;
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
