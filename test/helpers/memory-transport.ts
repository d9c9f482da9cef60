import type { TransformableInfo } from 'logform';
import { MESSAGE } from 'triple-beam';
import Transport from 'winston-transport';
import type { TransportStreamOptions } from 'winston-transport';

/** Options for {@link MemoryTransport}: winston-transport's own (level, format). */
export type MemoryTransportOptions = TransportStreamOptions;

/**
 * A real objectMode winston transport that keeps what it would print: the text of each record
 * (`info[MESSAGE]` after the transport's format) in `lines`, split on `\n` like the hierarchy vectors'
 * StringIO handlers, and the infos themselves in `records`.
 */
export class MemoryTransport extends Transport {
  /** Everything written, as one text (each record followed by `\n`, as a StreamHandler writes it). */
  text = '';
  /** The infos received, after the transport's format. */
  readonly records: TransformableInfo[] = [];

  constructor(options: MemoryTransportOptions = {}) {
    super(options);
  }

  /** The written text split into lines (the final newline does not make an empty line). */
  get lines(): string[] {
    return this.text === '' ? [] : this.text.replace(/\n$/, '').split('\n');
  }

  override log(info: TransformableInfo, next: () => void): void {
    this.records.push(info);
    const line = (info as Record<symbol, unknown>)[MESSAGE];
    this.text += `${typeof line === 'string' ? line : String(info.message)}\n`;
    next();
  }
}
