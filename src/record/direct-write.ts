/**
 * How a module logger hands a record to the bundle's own synchronous transports without winston's
 * stream machinery (issue 13). A winston transport is a readable-stream Writable: `write(info)` goes
 * through `_write`, the writable state, `onwrite` and a `nextTick` per record and per transport, which
 * costs more than formatting and storing the line. For a transport whose `log()` is synchronous and
 * which nothing has wrapped, the logger calls what `_write` would call, in the same order with the same
 * checks (see `deliver` in the logger's dispatch); every other transport keeps the stream path.
 *
 * Registered symbols, so that two copies of the package agree on them.
 */

/**
 * Set to `true` on a transport class's prototype whose `log(info, next)` does all its work before
 * returning (the file transports, the null handler): skipping the stream hop cannot reorder its records.
 */
export const SYNC_LOG: unique symbol = Symbol.for('winston-pylogging.syncLog') as never;

/**
 * A method of a transport (`this[LINE_SINK]()`) that returns where a rendered line may go directly — the
 * same as `log(info)` would do with `info[MESSAGE] === line` — or undefined when `log(info)` must run
 * (it was replaced or wrapped, or someone listens to `'logged'`, which receives the info).
 */
export const LINE_SINK: unique symbol = Symbol.for('winston-pylogging.lineSink') as never;

/**
 * A function on a logform format instance (`pythonFormat`) that renders the line its `transform` would
 * put in `info[MESSAGE]`, without writing anything into the info: so a transport's copy of the info,
 * made only for the format to write into, can be skipped. Returns `false` where the transform would drop
 * the record and `undefined` where it cannot render without the transform.
 */
export const RENDER_LINE: unique symbol = Symbol.for('winston-pylogging.renderLine') as never;

/** The type of a format's {@link RENDER_LINE} function. */
export type RenderLine = (info: object) => string | false | undefined;

/**
 * Set to `true` on a transport class's prototype that builds its output from the record itself and
 * never from `info[MESSAGE]` unless its own format set it (MongoTransport stores `msg % args` as the
 * document's `message`): a module logger does not render winston's default `json()` for it when it has
 * no format. That rendering is for transports that print `info[MESSAGE]`; here it would replace the
 * stored message with a JSON line and cost a `JSON.stringify` per record on the caller's path.
 */
export const READS_RECORD: unique symbol = Symbol.for('winston-pylogging.readsRecord') as never;
