/**
 * The dashboard's time series, pure: a window (`1h` in 5-minute buckets, `24h` in hourly ones)
 * ending with the bucket that holds `nowMs`, and the counts the store grouped by bucket, decision
 * and reason laid onto it, every bucket present (zeros where nothing happened).
 */
import type { AuthCount } from '@tollgate/store';

export const STATS_WINDOWS = {
  '1h': { bucketSeconds: 300, buckets: 12 },
  '24h': { bucketSeconds: 3600, buckets: 24 },
} as const;

export type StatsWindow = keyof typeof STATS_WINDOWS;

export interface StatsBucket {
  at: string;
  accepts: number;
  challenges: number;
  rejects: number;
  /** Rejects in this bucket by reason. */
  rejectsByReason: Record<string, number>;
}

export interface StatsSeries {
  window: StatsWindow;
  bucketSeconds: number;
  from: string;
  buckets: StatsBucket[];
  totals: { accepts: number; challenges: number; rejects: number };
  /** Every reject reason of the window, most frequent first. */
  rejectReasons: { reason: string; count: number }[];
}

/** The start of the window's first bucket: the buckets are epoch-aligned, the last one holds `nowMs`. */
export function windowStart(window: StatsWindow, nowMs: number): Date {
  const { bucketSeconds, buckets } = STATS_WINDOWS[window];
  const size = bucketSeconds * 1000;
  return new Date(Math.floor(nowMs / size) * size - (buckets - 1) * size);
}

export function buildSeries(window: StatsWindow, nowMs: number, counts: readonly AuthCount[]): StatsSeries {
  const { bucketSeconds, buckets: n } = STATS_WINDOWS[window];
  const from = windowStart(window, nowMs).getTime();
  const size = bucketSeconds * 1000;
  const buckets: StatsBucket[] = Array.from({ length: n }, (_, i) => ({
    at: new Date(from + i * size).toISOString(),
    accepts: 0,
    challenges: 0,
    rejects: 0,
    rejectsByReason: {},
  }));
  const totals = { accepts: 0, challenges: 0, rejects: 0 };
  const reasons = new Map<string, number>();
  for (const c of counts) {
    const index = Math.floor((c.bucket.getTime() - from) / size);
    const bucket = buckets[index];
    if (!bucket) continue;
    if (c.decision === 'accept') {
      bucket.accepts += c.count;
      totals.accepts += c.count;
    } else if (c.decision === 'challenge') {
      bucket.challenges += c.count;
      totals.challenges += c.count;
    } else {
      bucket.rejects += c.count;
      bucket.rejectsByReason[c.reason] = (bucket.rejectsByReason[c.reason] ?? 0) + c.count;
      totals.rejects += c.count;
      reasons.set(c.reason, (reasons.get(c.reason) ?? 0) + c.count);
    }
  }
  const rejectReasons = [...reasons]
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1));
  return { window, bucketSeconds, from: new Date(from).toISOString(), buckets, totals, rejectReasons };
}
