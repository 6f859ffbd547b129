import type { StatsSample as Sample } from '@/lib/client/useSaleStats';
import { formatCount } from '@/lib/shop/format';
import s from '../admin.module.css';

const W = 560;
const H = 160;
const PAD = { left: 44, right: 12, top: 12, bottom: 24 };

/** 1, 2, 5, 10, 20, 50, ...: a round top for the y axis. */
function roundUp(v: number): number {
  const step = 10 ** Math.floor(Math.log10(Math.max(v, 1)));
  return [1, 2, 5, 10].map((m) => m * step).find((c) => c >= v) ?? 10 * step;
}

type Props = {
  title: string;
  samples: Sample[];
  value: (p: Sample) => number;
  color: string;
  windowMs: number;
};

/** A plain-SVG line chart of the last `windowMs` of samples (no charting library, no CDN). */
export function LineChart({ title, samples, value, color, windowMs }: Props) {
  const now = samples.at(-1)?.t ?? 0;
  // The window grows with the history, from one minute up to `windowMs`.
  const span = Math.min(windowMs, Math.max(60_000, now - (samples[0]?.t ?? now)));
  const spanLabel = span < 120_000 ? `${Math.round(span / 1000)} s` : `${Math.round(span / 60_000)} min`;
  const max = roundUp(Math.max(1, ...samples.map(value)));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (t: number) => PAD.left + Math.max(0, 1 - (now - t) / span) * plotW;
  const y = (v: number) => PAD.top + (1 - v / max) * plotH;
  const points = samples.map((p) => `${x(p.t).toFixed(1)},${y(value(p)).toFixed(1)}`).join(' ');
  const area = samples.length > 1 ? `${x(samples[0].t)},${y(0)} ${points} ${x(now)},${y(0)}` : '';
  const latest = samples.length ? value(samples[samples.length - 1]) : 0;

  return (
    <figure className={s.card} style={{ margin: 0 }}>
      <figcaption className={s.small}>
        <strong>{title}</strong> <span className={s.muted}>now {formatCount(latest)} · last {spanLabel}</span>
      </figcaption>
      <svg className={s.chart} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${title}, last ${spanLabel}`}>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(max * f)} y2={y(max * f)} stroke="#e5e5e3" />
            <text x={PAD.left - 6} y={y(max * f) + 4} textAnchor="end" fontSize="11" fill="#5b5b66">
              {formatCount(Number((max * f).toFixed(1)))}
            </text>
          </g>
        ))}
        <text x={PAD.left} y={H - 6} fontSize="11" fill="#5b5b66">
          −{spanLabel}
        </text>
        <text x={W - PAD.right} y={H - 6} fontSize="11" fill="#5b5b66" textAnchor="end">
          now
        </text>
        {area && <polygon points={area} fill={color} fillOpacity="0.12" />}
        {samples.length > 1 && <polyline points={points} fill="none" stroke={color} strokeWidth="2" strokeLinejoin="round" />}
        {samples.length <= 1 && (
          <text x={W / 2} y={H / 2} textAnchor="middle" fontSize="12" fill="#5b5b66">
            collecting…
          </text>
        )}
      </svg>
    </figure>
  );
}
