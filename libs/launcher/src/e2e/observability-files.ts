import { readFileSync } from 'node:fs';

/**
 * The metric names the shipped Grafana dashboard and Prometheus rules use, so a test can check
 * each against what the processes really expose (`# TYPE` lines of /metrics).
 */
export const DASHBOARD_FILE = new URL('../../../../deploy/observability/grafana-dashboard.json', import.meta.url);
export const RULES_FILE = new URL('../../../../deploy/observability/prometheus-rules.yaml', import.meta.url);

const METRIC = /\b(?:tollgate|process|nodejs)_[a-z0-9_]+\b/g;
const HISTOGRAM_SUFFIX = /_(bucket|sum|count)$/;

/** Every metric name in the dashboard's queries and descriptions and in the rules file. */
export function referencedMetricNames(): Set<string> {
  const dashboard = JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as {
    panels: Array<{ targets?: Array<{ expr: string }>; description?: string }>;
  };
  const texts: string[] = [readFileSync(RULES_FILE, 'utf8')];
  for (const panel of dashboard.panels) {
    for (const target of panel.targets ?? []) texts.push(target.expr);
    if (panel.description) texts.push(panel.description);
  }
  return new Set(texts.flatMap((t) => t.match(METRIC) ?? []));
}

/** Names from `# TYPE <name> <type>` lines of exposition text. */
export function exposedMetrics(text: string): Map<string, string> {
  const types = new Map<string, string>();
  for (const match of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) types.set(match[1]!, match[2]!);
  return types;
}

/** The referenced names no process exposes (a histogram's _bucket/_sum/_count count as its own). */
export function missingMetrics(referenced: Iterable<string>, exposed: Map<string, string>): string[] {
  const missing: string[] = [];
  for (const name of referenced) {
    if (exposed.has(name)) continue;
    const base = name.replace(HISTOGRAM_SUFFIX, '');
    if (base !== name && (exposed.get(base) === 'histogram' || exposed.get(base) === 'summary')) continue;
    missing.push(name);
  }
  return missing.sort();
}
