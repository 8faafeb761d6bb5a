// One row of the table: a request path on one process, measured in rounds. Each round loads the
// path and reads the serving process's CPU time and peak RSS around it; the row reports the
// median of its rounds (peak RSS: the highest).
import { type LoadResult, type Target, autocannonLoad, probe, streamLoad } from './load.js';
import { cpuMs, peakRssBytes, resetPeakRss, rssBytes } from './proc-stats.js';

export interface Row {
  id: string;
  group: string;
  label: string;
  /** `stream`: server-sent chat, loaded by the streaming client (times the first token). */
  kind: 'http' | 'stream';
  /** The process whose CPU and memory count for this row. */
  pid: number;
  target: () => Promise<Target>;
  /** Why the row is not measured (e.g. "n/a: route missing"). */
  skip?: string;
}

export interface RoundResult extends LoadResult {
  cpuMsPerRequest: number;
  peakRss: number;
}

export interface RowResult {
  row: Row;
  rounds: RoundResult[];
  rps: number;
  p50: number;
  p99: number;
  ttft50?: number;
  cpuMsPerRequest: number;
  peakRss: number;
  failed: Record<number, number>;
}

export const median = (values: number[]): number => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Sends one request: a route that answers 404 (or refuses the request) makes the row n/a. */
export async function checkRow(row: Row): Promise<void> {
  if (row.skip) return;
  try {
    const res = await probe(await row.target());
    if (res.status === 404) row.skip = 'n/a: route missing';
    else if (res.status >= 300) {
      const code = (() => {
        try {
          return (JSON.parse(res.body) as { error?: { code?: string } }).error?.code;
        } catch {
          return undefined;
        }
      })();
      row.skip = `n/a: answers ${res.status}${code ? ` ${code}` : ''}`;
    }
  } catch (err) {
    row.skip = `n/a: ${(err as Error).message}`;
  }
}

export async function loadRow(row: Row, opts: { connections: number; seconds: number }): Promise<LoadResult> {
  const target = await row.target();
  return row.kind === 'stream' ? streamLoad(target, opts) : autocannonLoad(target, opts);
}

export async function measureRound(row: Row, opts: { connections: number; seconds: number }): Promise<RoundResult> {
  const peakResets = resetPeakRss(row.pid);
  const rssBefore = rssBytes(row.pid);
  const cpuBefore = cpuMs(row.pid);
  const result = await loadRow(row, opts);
  const cpu = cpuMs(row.pid) - cpuBefore;
  const answered = result.ok + Object.values(result.failed).reduce((a, b) => a + b, 0);
  return { ...result, cpuMsPerRequest: answered ? cpu / answered : NaN, peakRss: peakResets ? peakRssBytes(row.pid) : Math.max(rssBefore, rssBytes(row.pid)) };
}

export function summariseRow(row: Row, rounds: RoundResult[]): RowResult {
  const failed: Record<number, number> = {};
  for (const r of rounds) for (const [status, n] of Object.entries(r.failed)) failed[Number(status)] = (failed[Number(status)] ?? 0) + n;
  const ttfts = rounds.map((r) => r.ttft50).filter((v): v is number => v !== undefined);
  return {
    row,
    rounds,
    rps: median(rounds.map((r) => r.rps)),
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    ...(ttfts.length ? { ttft50: median(ttfts) } : {}),
    cpuMsPerRequest: median(rounds.map((r) => r.cpuMsPerRequest)),
    peakRss: Math.max(...rounds.map((r) => r.peakRss)),
    failed,
  };
}
