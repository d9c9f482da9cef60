/* splat() benchmark: what watching logform's splat() (src/record/splat-origin.ts) costs per record.
 *
 * On a plain winston info as winston's Logger.log builds it for `.info('count %d items of %s', 5, 'x')`
 * (a fresh info per record, built the same way in every row):
 *   (a) winston's format.splat().transform as logform ships it,
 *   (b) the same after watchSplat() (the note of the call's message and arguments),
 *   (c) combine(splat(), pythonFormat('%(name)s:%(message)s')).transform, watched (the fixed path),
 *   (d) pythonFormat('%(name)s:%(message)s').transform alone (no splat(), Python merges msg % args).
 * (a) and (b) swap splat()'s prototype method between rounds, so they run interleaved. CPU time
 * (process.cpuUsage) per record, median of ROUNDS rounds. Run: npx tsx bench/splat.bench.ts
 */
import { LEVEL, MESSAGE, SPLAT } from 'triple-beam';
import winston from 'winston';
import { pythonFormat } from '../formats/python-format';
import { watchSplat } from '../src/record/splat-origin';
import { median } from './median';

const ROUNDS = 15;
const N = 200_000;

type Info = winston.Logform.TransformableInfo;

function info(): Info {
  return { [LEVEL]: 'info', level: 'info', message: 'count %d items of %s', [SPLAT]: [5, 'x'] };
}

/** CPU ns per record of one round of N records. */
function round(fn: (i: Info) => unknown): number {
  let sink = 0;
  const t0 = process.cpuUsage();
  for (let i = 0; i < N; i++) if (fn(info())) sink++;
  const t = process.cpuUsage(t0);
  if (sink !== N) throw new Error('a record was dropped');
  return ((t.user + t.system) * 1000) / N;
}

export async function main(): Promise<void> {
  const proto = Object.getPrototypeOf(winston.format.splat()) as { transform: unknown };
  const shipped = proto.transform;
  watchSplat();
  const watched = proto.transform;
  const splat = winston.format.splat();
  const splatTransform = (i: Info): unknown => splat.transform(i, splat.options);
  const combined = winston.format.combine(winston.format.splat(), pythonFormat('%(name)s:%(message)s'));
  const alone = pythonFormat('%(name)s:%(message)s');
  const check = combined.transform(info(), combined.options) as Info;
  if ((check as Record<symbol, unknown>)[MESSAGE] !== 'root:count 5 items of x') throw new Error('bad line');

  const rows: Record<string, number[]> = { a: [], b: [], c: [], d: [] };
  for (let r = 0; r < ROUNDS + 2; r++) {
    const keep = r >= 2; // two warm-up rounds
    proto.transform = shipped;
    const a = round(splatTransform);
    proto.transform = watched;
    const b = round(splatTransform);
    const c = round((i) => combined.transform(i, combined.options));
    const d = round((i) => alone.transform(i, alone.options));
    if (keep) {
      rows.a!.push(a);
      rows.b!.push(b);
      rows.c!.push(c);
      rows.d!.push(d);
    }
  }
  const m = Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, median(v)]));
  const names: Record<string, string> = {
    a: '(a) splat() as shipped',
    b: '(b) splat() watched',
    c: '(c) combine(splat(), pythonFormat)',
    d: '(d) pythonFormat alone',
  };
  console.log(`| row | CPU ns/record (median of ${ROUNDS}) | vs (a) |`);
  console.log('|---|---:|---:|');
  for (const k of ['a', 'b', 'c', 'd']) {
    console.log(`| ${names[k]} | ${m[k]!.toFixed(0)} | ${(m[k]! / m.a!).toFixed(2)}× |`);
  }
  await Promise.resolve();
}

if (require.main === module) void main();
