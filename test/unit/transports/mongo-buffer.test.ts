import { DropMarker, MongoBuffer } from '../../../transports/mongo/mongo-buffer';
import type { BufferEntry } from '../../../transports/mongo/mongo-buffer';

interface R {
  n: number;
}

function fill(buf: MongoBuffer<R>, from: number, to: number, now = 1000): boolean[] {
  const out: boolean[] = [];
  for (let n = from; n <= to; n++) out.push(buf.push({ n }, now + n));
  return out;
}

function describeEntries(entries: Array<BufferEntry<R>> | undefined): Array<number | string> {
  return (entries ?? []).map((e) => (e instanceof DropMarker ? `dropped:${e.count}` : e.n));
}

describe('MongoBuffer', () => {
  it('is a FIFO: take(n) returns the oldest records, commit() forgets them', () => {
    const buf = new MongoBuffer<R>({ capacity: 10, overflow: 'drop-newest' });
    fill(buf, 1, 5);
    expect(describeEntries(buf.take(3))).toEqual([1, 2, 3]);
    expect(buf.pending).toBe(5);
    expect(buf.queued).toBe(2);
    expect(buf.take(3)).toBeUndefined(); // one batch out at a time keeps the order on retries
    expect(buf.oldest()).toEqual({ n: 1 });
    expect(buf.commit()).toBe(3);
    expect(buf.oldest()).toEqual({ n: 4 });
    expect(describeEntries(buf.take(10))).toEqual([4, 5]);
  });

  it('drop-newest: a full buffer drops arriving records; a marker sits where they would have been', () => {
    const buf = new MongoBuffer<R>({ capacity: 3, overflow: 'drop-newest' });
    expect(fill(buf, 1, 5)).toEqual([true, true, true, false, false]);
    expect(buf.dropped).toBe(2);
    expect(describeEntries(buf.take(10))).toEqual([1, 2, 3, 'dropped:2']);
    buf.commit();
    expect(fill(buf, 6, 7)).toEqual([true, true]);
    expect(describeEntries(buf.take(10))).toEqual([6, 7]);
  });

  it('drop-newest: counts drops while a batch is out and the marker records first/last times', () => {
    const buf = new MongoBuffer<R>({ capacity: 2, overflow: 'drop-newest' });
    fill(buf, 1, 2);
    buf.take(2);
    fill(buf, 3, 4, 5000);
    const batch = buf.commit();
    expect(batch).toBe(2);
    fill(buf, 5, 5);
    const entries = buf.take(10)!;
    const marker = entries[0] as DropMarker;
    expect(marker).toBeInstanceOf(DropMarker);
    expect([marker.count, marker.firstAt, marker.lastAt, marker.policy]).toEqual([
      2,
      5003,
      5004,
      'drop-newest',
    ]);
    expect(describeEntries(entries)).toEqual(['dropped:2', 5]);
  });

  it('drop-oldest: a full buffer drops the oldest queued record; the marker moves to the head', () => {
    const buf = new MongoBuffer<R>({ capacity: 3, overflow: 'drop-oldest' });
    expect(fill(buf, 1, 6)).toEqual([true, true, true, true, true, true]);
    expect(buf.dropped).toBe(3);
    expect(describeEntries(buf.take(10))).toEqual(['dropped:3', 4, 5, 6]);
  });

  it('drop-oldest never drops the batch being sent; with nothing queued it drops the newcomer', () => {
    const buf = new MongoBuffer<R>({ capacity: 2, overflow: 'drop-oldest' });
    fill(buf, 1, 2);
    buf.take(2);
    expect(buf.push({ n: 3 }, 1)).toBe(false);
    expect(buf.dropped).toBe(1);
    buf.commit();
    expect(describeEntries(buf.take(10))).toEqual(['dropped:1']);
  });

  it('stays correct over many wrap-arounds (head compaction)', () => {
    const buf = new MongoBuffer<R>({ capacity: 5000, overflow: 'drop-newest' });
    const seen: number[] = [];
    let next = 1;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 700; i++) buf.push({ n: next++ }, 0);
      for (let t = buf.take(333); t !== undefined; t = buf.take(333)) {
        seen.push(...(describeEntries(t) as number[]));
        buf.commit();
      }
    }
    expect(seen.length).toBe(35_000);
    expect(seen.every((n, i) => n === i + 1)).toBe(true);
    expect(buf.dropped).toBe(0);
  });
});
