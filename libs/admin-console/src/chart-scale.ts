/**
 * The dashboard chart's arithmetic, pure (used by the pages, tested with node:test): the axis's
 * upper bound, and the series a stats answer is drawn as (accepts, the most frequent reject reasons,
 * the rest as "other", challenges when there are any).
 */

/** A round, even upper bound for the axis (2, 4, 10, 20, 40, 100 ...), so its middle line is a whole number too. */
export function niceMax(value: number): number {
  if (value <= 2) return 2;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 4, 10]) if (value <= step * magnitude && (step * magnitude) % 2 === 0) return step * magnitude;
  return 10 * magnitude;
}

export interface ChartSeries {
  key: string;
  label: string;
}

export interface ChartBar {
  label: string;
  values: Record<string, number>;
}

/** The part of `GET /api/v1/stats/auth`'s answer the chart reads. */
export interface StatsSeriesInput {
  buckets: { at: string; accepts: number; challenges: number; rejectsByReason: Record<string, number> }[];
  totals: { challenges: number };
  rejectReasons: { reason: string; count: number }[];
}

/** Reasons beyond this many share one "other" segment, so the colours stay tellable apart. */
export const REASON_SERIES = 5;

export function chartOf(stats: StatsSeriesInput, label: (at: string) => string): { series: ChartSeries[]; bars: ChartBar[] } {
  const named = stats.rejectReasons.slice(0, REASON_SERIES).map((r) => r.reason);
  const series: ChartSeries[] = [
    { key: 'accept', label: 'Accepted' },
    ...named.map((reason) => ({ key: `reject:${reason}`, label: `Rejected: ${reason}` })),
  ];
  if (stats.rejectReasons.length > REASON_SERIES) series.push({ key: 'reject:other', label: 'Rejected: other reasons' });
  if (stats.totals.challenges > 0) series.push({ key: 'challenge', label: 'Challenged' });
  const bars = stats.buckets.map((b) => {
    const values: Record<string, number> = { accept: b.accepts, challenge: b.challenges };
    for (const [reason, count] of Object.entries(b.rejectsByReason)) {
      const key = named.includes(reason) ? `reject:${reason}` : 'reject:other';
      values[key] = (values[key] ?? 0) + count;
    }
    return { label: label(b.at), values };
  });
  return { series, bars };
}
