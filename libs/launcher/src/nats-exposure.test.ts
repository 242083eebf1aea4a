import { test } from 'node:test';
import assert from 'node:assert/strict';
import { natsExposureWarnings } from './nats-exposure.js';

const cases = [
  { authRequired: true, tls: true, expected: [] },
  { authRequired: false, tls: true, expected: ['nats_no_auth'] },
  { authRequired: true, tls: false, expected: ['nats_no_tls'] },
  { authRequired: false, tls: false, expected: ['nats_no_auth', 'nats_no_tls'] },
];

for (const { authRequired, tls, expected } of cases) {
  test(`auth required ${authRequired}, TLS ${tls}: warns of ${expected.join(', ') || 'nothing'}`, () => {
    const warnings = natsExposureWarnings({ authRequired, tls });
    assert.deepEqual(
      warnings.map((w) => w.exposure),
      expected,
    );
    for (const w of warnings) assert.match(w.message, /docs\/deployment\.md/);
  });
}
