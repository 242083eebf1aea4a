import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PORTAL_SUBJECT_NAMES, Subjects, isPortalSubject, subject, type SubjectName } from './index.js';

test('the portal subjects are exactly the portal.v1 ones, and the bus seals exactly those with the portal key', () => {
  assert.deepEqual(
    [...PORTAL_SUBJECT_NAMES],
    [
      'portalSettings',
      'portalSignInOidc',
      'portalLinkCheck',
      'portalSignInLink',
      'portalSessionGet',
      'portalSessionEnd',
      'portalEnrolStart',
      'portalEnrolConfirm',
    ],
  );
  for (const name of Object.keys(Subjects) as SubjectName[])
    assert.equal(isPortalSubject(subject('tollgate', name)), PORTAL_SUBJECT_NAMES.includes(name as never), name);
});
