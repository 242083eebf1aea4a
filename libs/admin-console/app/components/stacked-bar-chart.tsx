/**
 * A stacked bar chart in SVG, drawn here (no chart package): one bar per time bucket, one segment
 * per series, colours from CSS classes (`series-N`), a legend and a title for screen readers,
 * and the same numbers in a table beneath for anyone who cannot see the bars.
 */
import { type ChartBar, type ChartSeries, niceMax } from '../../src/chart-scale.js';

const WIDTH = 720;
const HEIGHT = 220;
const PAD = { top: 12, right: 12, bottom: 28, left: 44 };

export function StackedBarChart(props: { title: string; series: ChartSeries[]; bars: ChartBar[]; labelEvery?: number }) {
  const totals = props.bars.map((b) => props.series.reduce((n, s) => n + (b.values[s.key] ?? 0), 0));
  const max = niceMax(Math.max(0, ...totals));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, props.bars.length);
  const barW = Math.max(2, slot * 0.7);
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const every = props.labelEvery ?? 1;
  const titleId = `chart-${props.title.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={titleId} class="chart-svg">
        <title id={titleId}>{`${props.title}: ${totals.reduce((a, b) => a + b, 0)} in all`}</title>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line class="grid" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(max * f)} y2={y(max * f)} />
            <text class="axis" x={PAD.left - 6} y={y(max * f) + 4} text-anchor="end">
              {Math.round(max * f)}
            </text>
          </g>
        ))}
        {props.bars.map((bar, i) => {
          let base = 0;
          const x = PAD.left + i * slot + (slot - barW) / 2;
          return (
            <g key={bar.label}>
              {props.series.map((s, si) => {
                const v = bar.values[s.key] ?? 0;
                if (v === 0) return null;
                // The title is the tooltip a pointer shows over the segment.
                const rect = (
                  <rect key={s.key} class={`series-${si}`} x={x} width={barW} y={y(base + v)} height={y(base) - y(base + v)}>
                    <title>{`${bar.label}, ${s.label}: ${v}`}</title>
                  </rect>
                );
                base += v;
                return rect;
              })}
              {i % every === 0 && (
                <text class="axis" x={x + barW / 2} y={HEIGHT - 8} text-anchor="middle">
                  {bar.label}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul class="legend">
          {props.series.map((s, si) => (
            <li key={s.key}>
              <span class={`swatch series-${si}`} aria-hidden="true" />
              {s.label}
            </li>
          ))}
        </ul>
      </figcaption>
      <details>
        <summary>{props.title} as a table</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">Time</th>
              {props.series.map((s) => (
                <th scope="col" key={s.key}>
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.bars.map((bar) => (
              <tr key={bar.label}>
                <th scope="row">{bar.label}</th>
                {props.series.map((s) => (
                  <td key={s.key}>{bar.values[s.key] ?? 0}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
