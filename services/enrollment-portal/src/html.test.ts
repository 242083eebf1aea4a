import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, html, raw } from './html.js';
import { groupSecret, layout, linkPasswordPage, successPage } from './pages.js';

for (const [input, expected] of [
  ['plain', 'plain'],
  ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
  ['a"b\'c', 'a&quot;b&#39;c'],
  ['Tom & Jerry', 'Tom &amp; Jerry'],
  ['`x`', '&#96;x&#96;'],
  ['&amp;', '&amp;amp;'],
] as const) {
  test(`escapeHtml(${JSON.stringify(input)})`, () => {
    assert.equal(escapeHtml(input), expected);
  });
}

test('html escapes what it is given but keeps Html pieces, arrays and leaves out empties', () => {
  const evil = '"><img src=x onerror=alert(1)>';
  const out = html`<p title="${evil}">${evil}${raw('<b>ok</b>')}${[html`<i>${'<'}</i>`, '&']}${undefined}${false}${null}${3}</p>`;
  assert.equal(
    out.text,
    '<p title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;<b>ok</b><i>&lt;</i>&amp;3</p>',
  );
});

test('pages escape the organisation, the UPN and the display of names', () => {
  const page = layout(
    { organisationName: '<Contoso & "Co">', hasLogo: true },
    'T<',
    linkPasswordPage({ upn: 'a<b>@c', action: '/l/x', csrf: 'tok"en' }),
  );
  assert.ok(!page.includes('<Contoso'));
  assert.ok(page.includes('&lt;Contoso &amp; &quot;Co&quot;&gt;'));
  assert.ok(page.includes('a&lt;b&gt;@c'));
  assert.ok(page.includes('value="tok&quot;en"'));
  assert.ok(page.includes('<html lang="en">'));
  assert.ok(page.includes('name="viewport"'));
  assert.ok(!/<script/i.test(page), 'no script on any page');
  assert.ok(!/ style=/i.test(page), 'no inline style (the CSP allows none)');
  assert.ok(successPage({ upn: '<x>', replaced: true }).text.includes('&lt;x&gt;'));
});

for (const [secret, grouped] of [
  ['JBSWY3DPEHPK3PXP', 'JBSW Y3DP EHPK 3PXP'],
  ['JBSWY3DPEHPK3PXPAB', 'JBSW Y3DP EHPK 3PXP AB'],
  ['ABCD', 'ABCD'],
] as const) {
  test(`groupSecret(${secret})`, () => {
    assert.equal(groupSecret(secret), grouped);
  });
}
