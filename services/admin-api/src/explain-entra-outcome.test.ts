/** Every outcome gets an explanation; configuration errors say what to change. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EntraOutcomes } from '@tollgate/contracts';
import { explainEntraOutcome } from './explain-entra-outcome.js';

test('explains every outcome', () => {
  for (const outcome of EntraOutcomes) assert.ok(explainEntraOutcome(outcome, undefined).length > 20, outcome);
});

test('explains the answers an admin meets when setting up', () => {
  const cases: Array<[Parameters<typeof explainEntraOutcome>[0], number | undefined, RegExp]> = [
    ['password_ok_mfa', 50076, /^Password verified; the account requires MFA, as Tollgate needs\.$/],
    ['config_error', 7000218, /Enable "Allow public client flows" on the app registration/],
    ['config_error', 7000222, /client secret has expired/],
    ['config_error', 65001, /admin consent/],
    ['config_error', 9001023, /not common or consumers/],
    ['config_error', 1234, /AADSTS1234\): check the tenant/],
    ['invalid_credentials', 50034, /does not exist/],
    ['invalid_credentials', 50126, /rejected the user name or password/],
    ['no_mfa', undefined, /without MFA/],
    ['not_configured', undefined, /enabled: true/],
    ['unavailable', undefined, /could not be reached/],
    ['unavailable', 99999, /AADSTS99999, a code Tollgate does not recognise/],
    ['unavailable', 80005, /pass-through authentication agent failed \(AADSTS80005\)/],
  ];
  for (const [outcome, aadsts, message] of cases) assert.match(explainEntraOutcome(outcome, aadsts), message, `${outcome} ${aadsts}`);
});
