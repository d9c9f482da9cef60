import Transport from 'winston-transport';

/**
 * A winston transport that accepts every record and does nothing else (it counts them, so a benchmark
 * can check that records arrived): what a loop into it costs is the logger's own share.
 */
export class SinkTransport extends Transport {
  count = 0;
  override log(_info: unknown, next: () => void): void {
    this.count++;
    next();
  }
}
