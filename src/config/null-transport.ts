import Transport from 'winston-transport';
import type { TransformableInfo } from 'logform';
import { SYNC_LOG } from '../record/direct-write';

/**
 * Python's `logging.NullHandler`: accepts every record and writes nothing. It still counts as a handler,
 * so a library logger that has one never falls through to the last-resort stderr output.
 */
export class NullTransport extends Transport {
  /** Drops the record; still emits `'logged'`, as every winston transport does for an accepted record. */
  override log(info: TransformableInfo, next?: () => void): void {
    this.emit('logged', info);
    // winston's legacy callers and abstract-winston-transport call log(info) without a callback.
    next?.();
  }
}

// log() does its work before returning: a module logger may skip the stream hop (see SYNC_LOG).
Object.defineProperty(NullTransport.prototype, SYNC_LOG, { value: true });
