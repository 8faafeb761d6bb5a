// Two small SVG charts, no library: credits per day (columns) and per model (bars).
import { fmtCredits } from '../money';
import { useI18n } from '../i18n';

export interface DayPoint {
  day: string;
  credits: number;
  tasks: number;
}

/** Every day of the window, with zeros where the server had nothing. */
export function fillDays(points: DayPoint[], days: number, today = new Date()): DayPoint[] {
  const byDay = new Map(points.map((p) => [p.day, p]));
  const out: DayPoint[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - i));
    const key = d.toISOString().slice(0, 10);
    out.push(byDay.get(key) ?? { day: key, credits: 0, tasks: 0 });
  }
  return out;
}

/** The axis top: 4, 6, 10, 20, 40, 60, 100, … (even, so the middle tick is a whole number); below
 * one credit (prices are decimals) 0.1, 0.2, 0.4, 0.6, 1 and so on. */
function niceMax(n: number): number {
  if (n > 0 && n < 1) {
    const pow = 10 ** Math.floor(Math.log10(n));
    for (const m of [1, 2, 4, 6, 10]) if (m * pow >= n) return Number((m * pow).toPrecision(6));
  }
  if (n <= 4) return 4;
  const pow = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 4, 6, 10]) if (m * pow >= n && (m * pow) % 2 === 0) return m * pow;
  return 10 * pow;
}

export function DayChart({ points, label }: { points: DayPoint[]; label: string }) {
  const { t, lang } = useI18n();
  const W = 600;
  const H = 220;
  const pad = { l: 36, r: 8, t: 10, b: 26 };
  const max = niceMax(Math.max(0, ...points.map((p) => p.credits)));
  const bw = (W - pad.l - pad.r) / Math.max(1, points.length);
  const y = (v: number) => pad.t + (H - pad.t - pad.b) * (1 - v / max);
  const total = points.reduce((s, p) => s + p.credits, 0);
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="chart" role="img" aria-label={`${label}: ${fmtCredits(total, lang)}`}>
      {[0, 0.5, 1].map((f) => (
        <g key={f}>
          <line x1={pad.l} x2={W - pad.r} y1={y(max * f)} y2={y(max * f)} className="grid-line" />
          <text x={pad.l - 6} y={y(max * f) + 4} className="axis" textAnchor="end">
            {fmtCredits(max * f, lang)}
          </text>
        </g>
      ))}
      {points.map((p, i) => {
        const h = H - pad.b - y(p.credits);
        return (
          <g key={p.day}>
            <rect x={pad.l + i * bw + bw * 0.15} y={y(p.credits)} width={bw * 0.7} height={Math.max(p.credits ? 2 : 0, h)} rx={2} className="bar">
              <title>{t('chart_day_label', { day: p.day, credits: t('credits_n', { n: fmtCredits(p.credits, lang) }), tasks: t('tasks_n', { n: p.tasks }) })}</title>
            </rect>
            {(points.length - 1 - i) % 7 === 0 && (
              <text x={pad.l + i * bw + bw / 2} y={H - 6} className="axis" textAnchor="middle">
                {p.day.slice(5)}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

export function ModelBars({ rows }: { rows: { model: string; credits: number; tasks: number }[] }) {
  const { t, lang } = useI18n();
  const max = Math.max(1, ...rows.map((r) => r.credits));
  return (
    <ul className="hbars">
      {rows.map((r) => (
        <li key={r.model}>
          <div className="hbar-label">
            <code>{r.model}</code>
            <span className="muted small">
              {t('credits_n', { n: fmtCredits(r.credits, lang) })} · {t('tasks_n', { n: r.tasks })}
            </span>
          </div>
          <svg viewBox="0 0 100 8" preserveAspectRatio="none" className="hbar" aria-hidden="true">
            <rect x="0" y="0" width="100" height="8" rx="4" className="hbar-track" />
            <rect x="0" y="0" width={Math.max(1, (r.credits / max) * 100)} height="8" rx="4" className="bar" />
          </svg>
        </li>
      ))}
    </ul>
  );
}
