/** What {@link checkWorkerLines} found in the files the multi-process writers shared. */
export interface WorkerLines {
  /** Lines that are not a whole `w<worker> <index> ppp…` record (torn, merged or foreign). */
  bad: string[];
  /** Records that came before an earlier record of the same worker (the files taken oldest first). */
  outOfOrder: string[];
  /** Per worker, how many times each record index was seen. */
  seen: Uint8Array[];
}

/**
 * Reads the lines of the multi-process writers' files (`w<worker> <index> ` + 80 `p`s, see the fixtures in
 * test/fixtures/rotation), oldest file first. Plain loops collect the problems: a jest `expect` per line
 * would dominate the run time. A file that does not end in a newline counts its last line as bad.
 */
export function checkWorkerLines(texts: readonly string[], workers: number, perWorker: number): WorkerLines {
  const seen = Array.from({ length: workers }, () => new Uint8Array(perWorker));
  const last = new Array<number>(workers).fill(-1);
  const bad: string[] = [];
  const outOfOrder: string[] = [];
  for (const text of texts) {
    if (text === '') continue;
    const lines = text.split('\n');
    // The piece after the last newline is '' for a whole file, a torn record otherwise.
    if (lines[lines.length - 1] !== '') bad.push(`(no final newline) ${lines[lines.length - 1]!}`);
    for (const line of lines.slice(0, -1)) {
      const m = /^w(\d) (\d+) p{80}$/.exec(line);
      if (m === null) {
        bad.push(line);
        continue;
      }
      const w = Number(m[1]);
      const i = Number(m[2]);
      seen[w]![i]!++;
      if (i <= last[w]!) outOfOrder.push(line);
      last[w] = i;
    }
  }
  return { bad, outOfOrder, seen };
}
