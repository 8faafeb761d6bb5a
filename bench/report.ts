// The bench's output: one Markdown table of medians (each path beside the references measured
// in the same run), then the ratios the performance targets are stated in.
import type { RowResult } from './measure.js';

const fmt = (v: number | undefined, digits = 1) => (v === undefined || !Number.isFinite(v) ? '–' : v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }));
const mb = (bytes: number) => fmt(bytes / 1024 / 1024, 0);

function failures(r: RowResult): string {
  const parts = Object.entries(r.failed).map(([status, n]) => `${n}× ${status === '0' ? 'error' : status}`);
  return parts.length ? `failed: ${parts.join(', ')}` : '';
}

export function resultsTable(results: RowResult[], skipped: Array<{ group: string; label: string; why: string }>): string {
  const lines = ['| path | req/s | p50 ms | p99 ms | TTFT p50 ms | CPU ms/req | peak RSS MB | note |', '|---|--:|--:|--:|--:|--:|--:|---|'];
  let group = '';
  const rows = [...results.map((r) => ({ group: r.row.group, label: r.row.label, r })), ...skipped.map((s) => ({ ...s, r: undefined }))];
  const order = [...new Set(results.map((r) => r.row.group).concat(skipped.map((s) => s.group)))];
  rows.sort((a, b) => order.indexOf(a.group) - order.indexOf(b.group));
  for (const { group: g, label, r, ...rest } of rows) {
    if (g !== group) {
      lines.push(`| **${g}** | | | | | | | |`);
      group = g;
    }
    if (!r) lines.push(`| ${label} | | | | | | | ${(rest as { why: string }).why} |`);
    else lines.push(`| ${label} | ${fmt(r.rps, 0)} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${fmt(r.ttft50, 2)} | ${fmt(r.cpuMsPerRequest, 2)} | ${mb(r.peakRss)} | ${failures(r)} |`);
  }
  return lines.join('\n');
}

export interface RatioSpec {
  label: string;
  ours?: RowResult;
  reference?: RowResult;
  /** ratio: ours/ref throughput (x); percent: the same as %; added: ours − ref in ms of `metric`. */
  kind: 'ratio' | 'percent' | 'added';
  metric: 'rps' | 'p50' | 'ttft50';
  target: number;
}

function value(spec: RatioSpec): number | undefined {
  const a = spec.ours?.[spec.metric];
  const b = spec.reference?.[spec.metric];
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b)) return undefined;
  if (spec.kind === 'added') return a - b;
  return spec.kind === 'percent' ? (100 * a) / b : a / b;
}

const unit = (spec: RatioSpec) => (spec.kind === 'added' ? ' ms' : spec.kind === 'percent' ? '%' : 'x');

export function ratioTable(specs: RatioSpec[]): { text: string; missed: string[]; met: string[] } {
  const lines = ['| ratio (same run) | ours | reference | value | target | met |', '|---|--:|--:|--:|--:|:-:|'];
  const missed: string[] = [];
  const metList: string[] = [];
  for (const spec of specs) {
    const v = value(spec);
    const digits = spec.metric === 'rps' ? 0 : 2;
    const met = v === undefined ? '–' : (spec.kind === 'added' ? v <= spec.target : v >= spec.target) ? 'yes' : 'no';
    if (met === 'no') missed.push(spec.label);
    if (met === 'yes') metList.push(spec.label);
    const target = `${spec.kind === 'added' ? '≤' : '≥'} ${spec.target}${unit(spec)}`;
    const shown = v === undefined ? 'n/a' : `${fmt(v, spec.kind === 'ratio' ? 2 : spec.kind === 'percent' ? 0 : 2)}${unit(spec)}`;
    lines.push(`| ${spec.label} | ${fmt(spec.ours?.[spec.metric], digits)} | ${fmt(spec.reference?.[spec.metric], digits)} | ${shown} | ${target} | ${met} |`);
  }
  return { text: lines.join('\n'), missed, met: metList };
}
