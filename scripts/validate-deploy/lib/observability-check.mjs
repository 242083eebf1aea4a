/**
 * Static check of deploy/observability: the Grafana dashboard (JSON that Grafana imports: unique
 * panel ids, every query on the `datasource` variable, panels inside the 24-column grid) and the
 * Prometheus alert rules (every alert with an expression, a severity, a summary and a runbook link
 * to a section of docs/observability.md that exists), and every metric either queries is one the
 * code registers (a `'tollgate_...'` name in a source module using prom-client, or one of
 * prom-client's default metrics).
 * The end-to-end scenarios check the same names against a live /metrics.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseYaml } from './yaml-files.mjs';

const METRIC = /\b(?:tollgate|process|nodejs)_[a-z0-9_]+\b/g;
const DEFAULT_PREFIXES = ['process_', 'nodejs_'];
const SEVERITIES = new Set(['critical', 'warning', 'info']);

/** Metric names in the TypeScript sources of libs/ and services/ that use prom-client (tests excluded). */
export function registeredMetricNames(root) {
  const names = new Set();
  const walk = (dir) => {
    for (const entry of readdirSync(dir)) {
      if (entry === 'node_modules' || entry === 'dist') continue;
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry.endsWith('.ts') && !entry.endsWith('.test.ts')) {
        // Any metric-like string in a module that registers metrics (some go through a helper).
        const text = readFileSync(full, 'utf8');
        if (!text.includes("from 'prom-client'")) continue;
        for (const m of text.matchAll(/'(tollgate_[a-z0-9_]+)'/g)) names.add(m[1]);
      }
    }
  };
  for (const top of ['libs', 'services']) walk(path.join(root, top));
  return names;
}

/** GitHub's heading anchors of a Markdown text. */
function anchors(markdown) {
  const found = new Set();
  for (const m of markdown.matchAll(/^#{1,6}\s+(.+)$/gm)) {
    found.add(
      m[1]
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, '')
        .replace(/ /g, '-'),
    );
  }
  return found;
}

function knownMetric(name, registered) {
  if (registered.has(name)) return true;
  if (DEFAULT_PREFIXES.some((p) => name.startsWith(p))) return true;
  const base = name.replace(/_(bucket|sum|count)$/, '');
  return base !== name && registered.has(base);
}

/** `texts` ({dashboard, rules, docs}) replaces the files' contents (the self-check's bad variants). */
export function checkObservability(root, { texts } = {}) {
  const dir = path.join(root, 'deploy/observability');
  const problems = [];
  const registered = registeredMetricNames(root);
  const docs = texts?.docs ?? readFileSync(path.join(root, 'docs/observability.md'), 'utf8');
  const docAnchors = anchors(docs);
  const used = new Set();

  let dashboard;
  try {
    dashboard = JSON.parse(texts?.dashboard ?? readFileSync(path.join(dir, 'grafana-dashboard.json'), 'utf8'));
  } catch (error) {
    problems.push(`grafana-dashboard.json: ${error.message}`);
  }
  let panelCount = 0;
  if (dashboard) {
    if (!dashboard.uid || !dashboard.title) problems.push('grafana-dashboard.json: needs a uid and a title');
    if (!dashboard.templating?.list?.some((v) => v.name === 'datasource' && v.type === 'datasource' && v.query === 'prometheus')) {
      problems.push('grafana-dashboard.json: needs a "datasource" variable of type datasource (prometheus) so it imports on any Grafana');
    }
    const ids = new Set();
    for (const panel of dashboard.panels ?? []) {
      if (ids.has(panel.id)) problems.push(`grafana-dashboard.json: panel id ${panel.id} used twice`);
      ids.add(panel.id);
      const g = panel.gridPos;
      if (!g || g.x < 0 || g.w < 1 || g.x + g.w > 24)
        problems.push(`grafana-dashboard.json: panel "${panel.title}" is outside the 24-column grid`);
      if (panel.type === 'row') continue;
      panelCount++;
      if (!panel.description) problems.push(`grafana-dashboard.json: panel "${panel.title}" has no description`);
      if (panel.datasource?.uid !== '${datasource}')
        problems.push(`grafana-dashboard.json: panel "${panel.title}" does not use the \${datasource} variable`);
      if (!panel.targets?.length) problems.push(`grafana-dashboard.json: panel "${panel.title}" has no query`);
      for (const target of panel.targets ?? []) {
        if (typeof target.expr !== 'string' || !target.expr.trim())
          problems.push(`grafana-dashboard.json: panel "${panel.title}" query ${target.refId} is empty`);
        for (const name of target.expr?.match(METRIC) ?? []) used.add(`${name}\u0000dashboard panel "${panel.title}"`);
      }
    }
  }

  let rules;
  try {
    rules = parseYaml(texts?.rules ?? readFileSync(path.join(dir, 'prometheus-rules.yaml'), 'utf8'), 'prometheus-rules.yaml');
  } catch (error) {
    problems.push(error.message);
  }
  let alertCount = 0;
  if (rules) {
    if (!Array.isArray(rules.groups) || rules.groups.length === 0) problems.push('prometheus-rules.yaml: no groups');
    const names = new Set();
    for (const group of rules.groups ?? []) {
      if (!group.name) problems.push('prometheus-rules.yaml: a group without a name');
      for (const rule of group.rules ?? []) {
        const id = rule.alert ?? rule.record ?? '(unnamed)';
        if (!rule.alert) {
          problems.push(`prometheus-rules.yaml: ${id}: only alerting rules are expected here`);
          continue;
        }
        alertCount++;
        if (names.has(rule.alert)) problems.push(`prometheus-rules.yaml: alert ${rule.alert} defined twice`);
        names.add(rule.alert);
        if (typeof rule.expr !== 'string' || !rule.expr.trim()) problems.push(`prometheus-rules.yaml: ${id} has no expr`);
        if (rule.for !== undefined && !/^\d+[smh]$/.test(String(rule.for)))
          problems.push(`prometheus-rules.yaml: ${id}: "for" must be a duration like 5m`);
        if (!SEVERITIES.has(rule.labels?.severity))
          problems.push(`prometheus-rules.yaml: ${id}: labels.severity must be critical, warning or info`);
        if (!rule.annotations?.summary) problems.push(`prometheus-rules.yaml: ${id} has no summary annotation`);
        const runbook = /^docs\/observability\.md#(.+)$/.exec(rule.annotations?.runbook_url ?? '');
        if (!runbook) problems.push(`prometheus-rules.yaml: ${id}: runbook_url must point at docs/observability.md#<section>`);
        else if (!docAnchors.has(runbook[1]))
          problems.push(`prometheus-rules.yaml: ${id}: docs/observability.md has no section #${runbook[1]}`);
        for (const name of rule.expr?.match(METRIC) ?? []) used.add(`${name}\u0000alert ${id}`);
      }
    }
  }

  for (const entry of used) {
    const [name, where] = entry.split('\u0000');
    if (!knownMetric(name, registered)) problems.push(`${where}: metric ${name} is not registered anywhere in the code`);
  }
  return {
    problems,
    summary: `${panelCount} panels, ${alertCount} alerts, ${new Set([...used].map((u) => u.split('\u0000')[0])).size} metrics`,
  };
}

const CASES = [
  {
    name: 'a dashboard query on a metric nobody registers',
    expect: /tollgate_made_up_total is not registered/,
    edit: (t) => ({ dashboard: t.dashboard.replace('tollgate_radius_dropped_total', 'tollgate_made_up_total') }),
  },
  {
    name: 'an alert on a misspelt metric',
    expect: /tollgate_otp_lockout_total is not registered/,
    edit: (t) => ({ rules: t.rules.replace('tollgate_otp_lockouts_total', 'tollgate_otp_lockout_total') }),
  },
  {
    name: 'an alert whose runbook section is gone',
    expect: /no section #tollgateentrathrottled/,
    edit: (t) => ({ docs: t.docs.replace(/^#+ TollgateEntraThrottled.*$/m, '') }),
  },
  {
    name: 'an alert without a severity',
    expect: /labels.severity/,
    edit: (t) => ({ rules: t.rules.replace('severity: critical', 'severity: page-someone') }),
  },
  { name: 'a dashboard that is not JSON', expect: /grafana-dashboard.json: /, edit: (t) => ({ dashboard: t.dashboard.slice(0, -3) }) },
];

/** Known-bad variants of the dashboard, the rules and the docs must be reported. */
export function selfCheckObservability(root) {
  const texts = {
    dashboard: readFileSync(path.join(root, 'deploy/observability/grafana-dashboard.json'), 'utf8'),
    rules: readFileSync(path.join(root, 'deploy/observability/prometheus-rules.yaml'), 'utf8'),
    docs: readFileSync(path.join(root, 'docs/observability.md'), 'utf8'),
  };
  const failures = [];
  for (const testCase of CASES) {
    const { problems } = checkObservability(root, { texts: { ...texts, ...testCase.edit(texts) } });
    if (!problems.some((p) => testCase.expect.test(p))) failures.push(`observability check missed: ${testCase.name}`);
  }
  return { failures, count: CASES.length };
}
