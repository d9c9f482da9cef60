import Transport from 'winston-transport';
import type { TransformableInfo } from 'logform';

/**
 * Python's `logging.NullHandler`: accepts every record and writes nothing. It still counts as a handler,
 * so a library logger that has one never falls through to the last-resort stderr output.
 */
export class NullTransport extends Transport {
  /** Drops the record. */
  override log(_info: TransformableInfo, next: () => void): void {
    next();
  }
}
