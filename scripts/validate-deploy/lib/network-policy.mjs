/**
 * Evaluates NetworkPolicies the way the API defines them, far enough to answer: which ports may a
 * pod with these labels be reached on, and connect to? (A pod selected by no policy of a direction
 * is not isolated in that direction: everything is allowed.)
 */

export function matchesSelector(labels = {}, selector) {
  if (!selector) return false;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const expression of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, expression.key);
    const value = labels[expression.key];
    switch (expression.operator) {
      case 'In':
        if (!has || !expression.values.includes(value)) return false;
        break;
      case 'NotIn':
        if (has && expression.values.includes(value)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        throw new Error(`unknown selector operator ${expression.operator}`);
    }
  }
  return true;
}

const isEmptySelector = (selector) =>
  !selector || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0);

function policyTypes(policy) {
  if (policy.spec.policyTypes) return policy.spec.policyTypes;
  return policy.spec.egress ? ['Ingress', 'Egress'] : ['Ingress'];
}

/** True if some policy isolates every pod of the namespace in both directions and allows nothing. */
export function hasDefaultDeny(policies) {
  return policies.some(
    (p) =>
      isEmptySelector(p.spec.podSelector) &&
      ['Ingress', 'Egress'].every((t) => policyTypes(p).includes(t)) &&
      !(p.spec.ingress ?? []).length &&
      !(p.spec.egress ?? []).length,
  );
}

/**
 * The ports ("port/PROTOCOL") that pods with `labels` in `namespace` are allowed for `direction`
 * ('Ingress' or 'Egress'), with problems for rules too broad to express that way.
 */
export function allowedPorts(policies, namespace, labels, direction) {
  const selecting = policies.filter(
    (p) =>
      (p.metadata.namespace ?? '') === namespace && policyTypes(p).includes(direction) && matchesSelector(labels, p.spec.podSelector ?? {}),
  );
  const ports = new Set();
  const problems = [];
  const rules = [];
  if (selecting.length === 0) problems.push(`no NetworkPolicy isolates it for ${direction}: everything is allowed`);
  for (const policy of selecting) {
    for (const rule of (direction === 'Ingress' ? policy.spec.ingress : policy.spec.egress) ?? []) {
      rules.push({ policy: policy.metadata.name, rule });
      if (!rule.ports?.length) {
        problems.push(`NetworkPolicy ${policy.metadata.name} allows every port`);
        continue;
      }
      for (const port of rule.ports) {
        if (typeof port.port !== 'number' || port.endPort !== undefined) {
          problems.push(`NetworkPolicy ${policy.metadata.name}: port ${JSON.stringify(port)} is not a single numbered port`);
          continue;
        }
        ports.add(`${port.port}/${port.protocol ?? 'TCP'}`);
      }
    }
  }
  return { ports, problems, rules };
}
