import { createHash } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { FaultReporter } from '../shared/report-fault';
import { createExclusive, writeFileSafely } from '../shared/file-options';
import { datedStamp, type DailyRotatePattern } from './daily-rotate-pattern';

/** Options for {@link DatedFiles}; validated by the transport that builds it. */
export interface DatedFilesOptions {
  /** The transport: `'new'`, `'rotate'`, `'archive'`, `'logRemoved'` are emitted on it. */
  owner: EventEmitter;
  /** Reports faults once, on the owner's `'warn'`. */
  faults: FaultReporter;
  /** Absolute path pattern containing `%DATE%`. */
  filename: string;
  /** file-stream-rotator's `frequency` and moment.js `datePattern`. */
  pattern: DailyRotatePattern;
  utc: boolean;
  /** winston-daily-rotate-file's `maxFiles`: files kept including the live one (`5`), or days (`'14d'`). */
  maxFiles?: number | string;
  zippedArchive: boolean;
  createSymlink: boolean;
  /** @defaultValue 'current.log' */
  symlinkName?: string;
  /** The audit file (file-stream-rotator's JSON format) that remembers the files for `maxFiles`. */
  auditFile: string;
  /** Permission bits for the audit file and archives (before the umask). */
  fileMode: number;
  /** The transport's clock. */
  now: () => number;
}

/** file-stream-rotator's audit file, field for field, so that files DRF wrote are retired by us and back. */
interface Audit {
  keep: { days: boolean; amount: number };
  auditLog: string;
  files: Array<{ date: number; name: string; hash: string }>;
  hashType: string;
}

/** winston-daily-rotate-file passes `auditHashType` 'sha256' to file-stream-rotator by default. */
const HASH_TYPE = 'sha256';

/**
 * The file half of layout `'dated'`: what winston-daily-rotate-file (file-stream-rotator underneath) does
 * around its writes — the dated names, the audit file and `maxFiles` retention, `zippedArchive`, the
 * `current.log` symlink and the events — with the same names, the same audit format and the same rules,
 * while the bundle's {@link BatchFileWriter} does the writing. Files a DRF transport wrote and recorded
 * are retired by this one, and back.
 *
 * Why the bundle writes instead of DRF: DRF writes through `fs.WriteStream`s it ends without waiting,
 * so a synchronous flush on process `'exit'` is impossible, a 200,000-record burst was dropped, and after
 * ENOSPC a stream is dead (records lost, or replayed whole and duplicated). The writer gives this layout
 * the guarantees of the other two: byte-exact resumption, bounded queue, `flushSync()`, safe file creation.
 */
export class DatedFiles {
  private readonly audit: Audit | undefined;
  private announced = '';
  private firstPending: string | undefined;
  private archiving = new Set<Promise<void>>();
  /** Files retired while their archive was being written: the archive is discarded. */
  private readonly retired = new Set<string>();

  constructor(private readonly o: DatedFilesOptions) {
    this.audit = o.maxFiles === undefined ? undefined : this.loadAudit(o.maxFiles);
  }

  /** The dated file that holds records logged at `ms`. */
  nameAt(ms: number): string {
    return this.o.filename.replace(/%DATE%/g, datedStamp(this.o.pattern, ms, this.o.utc));
  }

  /**
   * `file` became the live file: `'new'`, audit entry and retention, symlink — once per file, as
   * file-stream-rotator does on its `'new'`.
   */
  announce(file: string): void {
    if (file === this.announced) return;
    // The first file is opened inside the transport's constructor: announce it (and retire what it
    // retires) on the next tick, so that listeners attached right after construction hear it.
    const first = this.announced === '';
    this.announced = file;
    if (first) {
      this.firstPending = file;
      process.nextTick(() => this.announceFirst());
      return;
    }
    // A rollover before that tick: the first file's turn comes first (audit order is age order).
    this.announceFirst();
    this.becameLive(file);
  }

  private announceFirst(): void {
    const file = this.firstPending;
    this.firstPending = undefined;
    if (file !== undefined) this.becameLive(file);
  }

  private becameLive(file: string): void {
    this.o.owner.emit('new', file);
    if (this.audit !== undefined) this.addToAudit(file, this.audit);
    if (this.o.createSymlink) this.linkCurrent(file);
  }

  /** After a rollover from `from` to `to`: `'rotate'`, then the archive of `from` with `zippedArchive`. */
  rotated(from: string, to: string): void {
    this.o.owner.emit('rotate', from, to);
    if (!this.o.zippedArchive) return;
    const job = this.archive(from).finally(() => this.archiving.delete(job));
    this.archiving.add(job);
  }

  /** Resolves when the archives started so far are written (or failed and were reported). */
  async whenArchived(): Promise<void> {
    while (this.archiving.size !== 0) await Promise.all([...this.archiving]);
  }

  // DRF: skip when the file is gone or its .gz exists; gzip, then remove the original, then 'archive'.
  // Asynchronous (a day's file may be large); written to an exclusive `.gz.tmp`, then renamed.
  private async archive(file: string): Promise<void> {
    const gz = `${file}.gz`;
    if (!fs.existsSync(file) || fs.existsSync(gz)) return;
    const tmp = `${gz}.tmp`;
    try {
      const fd = createExclusive(tmp, this.o.fileMode);
      await pipeline(fs.createReadStream(file), createGzip(), fs.createWriteStream('', { fd }));
      if (this.retired.delete(file)) {
        fs.rmSync(tmp, { force: true });
        return;
      }
      fs.renameSync(tmp, gz);
      fs.unlinkSync(file);
      this.o.faults.clear('archive');
      this.o.owner.emit('archive', gz);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      // Retention deleted the file while it was being read: gone by design, nothing to report.
      if (this.retired.delete(file)) return;
      this.o.faults.report('archive', `archiving ${file} failed; it is kept uncompressed`, err);
    }
  }

  private loadAudit(maxFiles: number | string): Audit {
    const text = String(maxFiles);
    const keep = { days: text.endsWith('d'), amount: Number.parseInt(text, 10) };
    try {
      const read = JSON.parse(fs.readFileSync(this.o.auditFile, 'utf8')) as Partial<Audit>;
      if (Array.isArray(read.files))
        return { ...(read as Audit), keep, auditLog: this.o.auditFile, hashType: HASH_TYPE };
      throw new Error('no "files" list');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.o.faults.report(
          'audit',
          `cannot read the audit file ${this.o.auditFile}; starting a new one (files it listed are no longer retired)`,
          err,
        );
      }
      return { keep, auditLog: this.o.auditFile, files: [], hashType: HASH_TYPE };
    }
  }

  // file-stream-rotator's addLogToAudit(): record the file, retire the oldest beyond `keep`.
  private addToAudit(file: string, audit: Audit): void {
    if (audit.files.some((f) => f.name === file)) return;
    const date = this.o.now();
    audit.files.push({ date, name: file, hash: this.hash(file, date) });
    let retired: Audit['files'];
    if (audit.keep.days) {
      const oldest = new Date(date);
      oldest.setDate(oldest.getDate() - audit.keep.amount);
      retired = audit.files.filter((f) => f.date <= oldest.getTime());
      audit.files = audit.files.filter((f) => f.date > oldest.getTime());
    } else {
      retired = audit.files.slice(0, Math.max(0, audit.files.length - audit.keep.amount));
      audit.files = audit.files.slice(retired.length);
    }
    for (const f of retired) this.retire(f);
    try {
      writeFileSafely(resolve(audit.auditLog), JSON.stringify(audit, null, 4), this.o.fileMode);
    } catch (err) {
      this.o.faults.report('audit-write', `cannot write the audit file ${audit.auditLog}`, err);
    }
  }

  private hash(name: string, date: number): string {
    return createHash(HASH_TYPE)
      .update(name + 'LOG_FILE' + String(date))
      .digest('hex');
  }

  // The hash proves the entry was written by a rotator (a hand-edited audit file cannot delete files).
  // Both the plain file and its `.gz` are this transport's: `zippedArchive` may have changed between runs,
  // and a file counted by `maxFiles` must go whichever form it is in.
  private retire(f: Audit['files'][number]): void {
    if (this.archiving.size !== 0) this.retired.add(f.name);
    const removed: string[] = [];
    const ours = f.hash === this.hash(f.name, f.date);
    for (const name of ours ? [f.name, `${f.name}.gz`] : []) {
      try {
        if (!fs.existsSync(name)) continue;
        fs.rmSync(name, { force: true });
        removed.push(name);
      } catch (err) {
        this.o.faults.report('remove', `cannot remove the old file ${name}`, err);
      }
    }
    // DRF announces the name it would have removed even when the file was already gone (or not its own).
    if (removed.length === 0) removed.push(this.o.zippedArchive ? `${f.name}.gz` : f.name);
    for (const name of removed) this.o.owner.emit('logRemoved', name);
  }

  // file-stream-rotator: replace the link if it is one, create it if nothing is there, never touch a file.
  private linkCurrent(file: string): void {
    const link = join(dirname(file), this.o.symlinkName ?? 'current.log');
    try {
      const st = fs.lstatSync(link, { throwIfNoEntry: false });
      if (st !== undefined && !st.isSymbolicLink()) return;
      if (st !== undefined) fs.unlinkSync(link);
      fs.symlinkSync(basename(file), link);
    } catch (err) {
      this.o.faults.report('symlink', `cannot point ${link} at ${basename(file)}`, err);
    }
  }
}
