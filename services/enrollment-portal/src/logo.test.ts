import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLogo } from './logo.js';

const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]).toString('base64');
for (const [name, input, type] of [
  ['png', `data:image/png;base64,${png}`, 'image/png'],
  ['svg', `data:image/svg+xml;base64,${Buffer.from('<svg/>').toString('base64')}`, 'image/svg+xml'],
  ['jpeg', `data:image/jpeg;base64,${png}`, 'image/jpeg'],
  ['null', null, undefined],
  ['gif (not allowed)', `data:image/gif;base64,${png}`, undefined],
  ['html', `data:text/html;base64,${png}`, undefined],
  ['not base64', 'data:image/png;base64,<>', undefined],
  ['a remote URL', 'https://cdn.example/logo.png', undefined],
] as const) {
  test(`parseLogo: ${name}`, () => {
    assert.equal(parseLogo(input)?.contentType, type);
  });
}
