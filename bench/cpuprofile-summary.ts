// Summarises a V8 CPU profile (`node --cpu-prof`, e.g. from `npm run bench -- --cpu-prof DIR`):
// self time by function, and by package or source folder, as shares of the busy (not idle) time;
// with `--inclusive REGEX`, the time spent inside the matching functions (callees included).
// `--skip S` leaves out the first S seconds (the process starting: module loading, migrations);
// `--last S` keeps only the last S seconds (a bench run stops its servers right after the load).
//
//   node --import tsx bench/cpuprofile-summary.ts FILE.cpuprofile [--top 30] [--skip S | --last S] [--inclusive REGEX]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '30' }, skip: { type: 'string', default: '0' }, last: { type: 'string' }, inclusive: { type: 'string' } } });
if (!positionals[0]) {
  process.stderr.write('usage: cpuprofile-summary FILE.cpuprofile [--top N] [--inclusive REGEX]\n');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(positionals[0], 'utf8')) as Profile;
const top = Number(values.top);

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const self = new Map<number, number>();
const span = profile.timeDeltas.reduce((a, b) => a + b, 0);
const skipUs = values.last ? span - Number(values.last) * 1e6 : Number(values.skip) * 1e6;
let total = 0;
let idle = 0;
let at = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  at += dt;
  if (at < skipUs) return;
  self.set(id, (self.get(id) ?? 0) + dt);
  if (byId.get(id)!.callFrame.functionName === '(idle)') idle += dt;
  else total += dt;
});

const root = process.cwd();
function where(url: string): string {
  if (!url) return '(native)';
  const file = url.replace(/^file:\/\//, '');
  const nm = file.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = file.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (file.startsWith('node:')) return file;
  const rel = path.relative(root, file);
  return rel.startsWith('..') ? file : path.dirname(rel);
}
const label = (n: ProfileNode) => {
  const { functionName, url, lineNumber } = n.callFrame;
  const file = url ? `${path.relative(root, url.replace(/^file:\/\//, ''))}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'} ${file}`.trim();
};

function table(title: string, sums: Map<string, number>): void {
  const rows = [...sums].filter(([name]) => name !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, top);
  process.stdout.write(`\n${title}\n`);
  for (const [name, us] of rows) process.stdout.write(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}\n`);
}

const byFunction = new Map<string, number>();
const byPlace = new Map<string, number>();
for (const [id, us] of self) {
  const n = byId.get(id)!;
  byFunction.set(label(n), (byFunction.get(label(n)) ?? 0) + us);
  const place = n.callFrame.functionName === '(garbage collector)' ? '(garbage collector)' : n.callFrame.functionName === '(idle)' ? '(idle)' : where(n.callFrame.url);
  byPlace.set(place, (byPlace.get(place) ?? 0) + us);
}
process.stdout.write(`${positionals[0]}: ${(total / 1e6).toFixed(1)} s busy, ${(idle / 1e6).toFixed(1)} s idle (${values.last ? `the last ${values.last} s` : `after skipping ${values.skip} s`})\n`);
table('self time by package / source folder', byPlace);
table('self time by function', byFunction);

if (values.inclusive) {
  // Each sample counts once for every distinct matching function on its stack.
  const wanted = new RegExp(values.inclusive);
  const inclusive = new Map<string, number>();
  for (const [id, us] of self) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = label(byId.get(at)!);
      if (!seen.has(name) && wanted.test(name)) {
        seen.add(name);
        inclusive.set(name, (inclusive.get(name) ?? 0) + us);
      }
    }
  }
  table(`inclusive time of functions matching /${values.inclusive}/`, inclusive);
}
