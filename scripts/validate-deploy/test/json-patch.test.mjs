import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyJsonPatch } from '../lib/json-patch.mjs';

describe('applyJsonPatch', () => {
  const doc = { spec: { list: [1, 2], map: { 'a/b': 1, 'c~d': 2 } } };
  const cases = [
    ['add appends with -', [{ op: 'add', path: '/spec/list/-', value: 3 }], { spec: { list: [1, 2, 3], map: doc.spec.map } }],
    ['add inserts at an index', [{ op: 'add', path: '/spec/list/0', value: 0 }], { spec: { list: [0, 1, 2], map: doc.spec.map } }],
    [
      'replace unescapes ~1 and ~0',
      [
        { op: 'replace', path: '/spec/map/a~1b', value: 9 },
        { op: 'replace', path: '/spec/map/c~0d', value: 8 },
      ],
      { spec: { list: [1, 2], map: { 'a/b': 9, 'c~d': 8 } } },
    ],
    ['remove deletes a key', [{ op: 'remove', path: '/spec/map/a~1b' }], { spec: { list: [1, 2], map: { 'c~d': 2 } } }],
    ['move', [{ op: 'move', from: '/spec/list', path: '/list' }], { spec: { map: doc.spec.map }, list: [1, 2] }],
    ['copy', [{ op: 'copy', from: '/spec/list/1', path: '/spec/list/0' }], { spec: { list: [2, 1, 2], map: doc.spec.map } }],
  ];
  for (const [name, ops, expected] of cases) {
    it(name, () => assert.deepEqual(applyJsonPatch(doc, ops), expected));
  }
  it('leaves the input untouched', () => {
    applyJsonPatch(doc, [{ op: 'add', path: '/spec/list/-', value: 3 }]);
    assert.deepEqual(doc.spec.list, [1, 2]);
  });
  for (const [name, ops] of [
    ['replace of a missing key', [{ op: 'replace', path: '/spec/nope', value: 1 }]],
    ['add below a missing parent', [{ op: 'add', path: '/spec/nope/x', value: 1 }]],
    ['an index past the end', [{ op: 'add', path: '/spec/list/5', value: 1 }]],
    ['a failed test', [{ op: 'test', path: '/spec/list/0', value: 2 }]],
    ['an unknown op', [{ op: 'merge', path: '/spec' }]],
  ]) {
    it(`fails on ${name}`, () => assert.throws(() => applyJsonPatch(doc, ops), /JSON patch/));
  }
});
