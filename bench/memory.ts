// The memory target: a process's resident memory after 1,000 and after 10,000 mixed requests
// (a fresh process, the same mix and connections for ours and for Portkey).
import { setTimeout as sleep } from 'node:timers/promises';
import { type Target, autocannonLoad } from './load.js';
import { rssBytes } from './proc-stats.js';

export interface MemoryResult {
  name: string;
  rssStart: number;
  rssAfterFirst: number;
  rssAfterAll: number;
  first: number;
  total: number;
  failed: number;
}

export async function memoryRun(name: string, pid: number, mix: Target[], opts: { connections: number; first: number; total: number }): Promise<MemoryResult> {
  const rssStart = rssBytes(pid);
  let failed = 0;
  const run = async (amount: number) => {
    const res = await autocannonLoad(mix, { connections: opts.connections, amount });
    failed += Object.values(res.failed).reduce((a, b) => a + b, 0);
    await sleep(1000); // let in-flight work (e.g. a task's last writes) finish
  };
  await run(opts.first);
  const rssAfterFirst = rssBytes(pid);
  await run(opts.total - opts.first);
  return { name, rssStart, rssAfterFirst, rssAfterAll: rssBytes(pid), first: opts.first, total: opts.total, failed };
}

export function memoryTable(ours: MemoryResult, portkey: MemoryResult | undefined): { text: string; missed: string[] } {
  const mb = (b: number) => (b / 1024 / 1024).toFixed(0);
  const growth = (r: MemoryResult) => ((100 * (r.rssAfterAll - r.rssAfterFirst)) / r.rssAfterFirst).toFixed(1);
  const lines = [
    `| process (fresh; same mix, ${ours.total.toLocaleString('en-US')} requests) | RSS at start MB | after ${ours.first.toLocaleString('en-US')} MB | after ${ours.total.toLocaleString('en-US')} MB | growth | failed |`,
    '|---|--:|--:|--:|--:|--:|',
  ];
  for (const r of [ours, portkey].filter((r): r is MemoryResult => !!r))
    lines.push(`| ${r.name} | ${mb(r.rssStart)} | ${mb(r.rssAfterFirst)} | ${mb(r.rssAfterAll)} | ${growth(r)}% | ${r.failed} |`);
  const missed: string[] = [];
  const within = ours.rssAfterAll <= ours.rssAfterFirst * 1.2;
  const below = portkey ? ours.rssAfterAll < portkey.rssAfterAll : undefined;
  if (!within) missed.push('memory: RSS after 10,000 within 20% of RSS after 1,000');
  if (below === false) missed.push("memory: RSS below Portkey's under the same load");
  lines.push('', `within 20% of the RSS after ${ours.first.toLocaleString('en-US')}: ${within ? 'yes' : 'no'}; below Portkey's: ${below === undefined ? 'n/a' : below ? 'yes' : 'no'}`);
  return { text: lines.join('\n'), missed };
}
