import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allowedPorts, hasDefaultDeny, matchesSelector } from '../lib/network-policy.mjs';

const policy = (name, spec) => ({ kind: 'NetworkPolicy', metadata: { name, namespace: 'ns' }, spec });

describe('NetworkPolicy evaluation', () => {
  it('matches labels and expressions', () => {
    const labels = { app: 'x', tier: 'a' };
    assert.equal(matchesSelector(labels, { matchLabels: { app: 'x' } }), true);
    assert.equal(matchesSelector(labels, { matchLabels: { app: 'y' } }), false);
    assert.equal(matchesSelector(labels, { matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] }), true);
    assert.equal(matchesSelector(labels, { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['a'] }] }), false);
    assert.equal(matchesSelector(labels, { matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }), true);
    assert.equal(matchesSelector(labels, {}), true);
  });
  it('finds a default deny only when it isolates both directions and allows nothing', () => {
    assert.equal(hasDefaultDeny([policy('d', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] })]), true);
    assert.equal(hasDefaultDeny([policy('d', { podSelector: {}, policyTypes: ['Ingress'] })]), false);
    assert.equal(hasDefaultDeny([policy('d', { podSelector: {}, policyTypes: ['Ingress', 'Egress'], egress: [{}] })]), false);
  });
  it('unions the ports of every policy selecting the pod, defaulting to TCP', () => {
    const policies = [
      policy('a', {
        podSelector: { matchLabels: { app: 'x' } },
        policyTypes: ['Egress'],
        egress: [{ ports: [{ port: 53, protocol: 'UDP' }, { port: 4222 }] }],
      }),
      policy('b', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 443 }] }] }),
      policy('c', { podSelector: { matchLabels: { app: 'other' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 6379 }] }] }),
    ];
    const { ports, problems } = allowedPorts(policies, 'ns', { app: 'x' }, 'Egress');
    assert.deepEqual([...ports].sort(), ['4222/TCP', '443/TCP', '53/UDP']);
    assert.deepEqual(problems, []);
  });
  it('reports rules without ports and pods no policy isolates', () => {
    const open = [policy('open', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [] }] })];
    assert.match(allowedPorts(open, 'ns', {}, 'Ingress').problems[0], /allows every port/);
    assert.match(allowedPorts(open, 'ns', {}, 'Egress').problems[0], /no NetworkPolicy isolates/);
  });
});
