/** The text-attribute rule: a table of good and bad values, as octets the way a NAS sends them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodePasswordText, decodeText, type TextProblem } from './text-attribute.js';

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');

const good: Array<[string, Buffer, string]> = [
  ['a UPN', utf8('alice@contoso.com'), 'alice@contoso.com'],
  ['a bare name', utf8('a'), 'a'],
  ['non-ASCII letters', utf8('jürgen.ß@contoso.com'), 'jürgen.ß@contoso.com'],
  ['a four-octet character', utf8('𝒜lice'), '𝒜lice'],
  ['a MAC address', utf8('00-11-22-33-44-55'), '00-11-22-33-44-55'],
  ['spaces and punctuation', utf8("O'Brien, Pat (VPN)"), "O'Brien, Pat (VPN)"],
  ['253 octets', Buffer.alloc(253, 0x61), 'a'.repeat(253)],
  ['a leading BOM is kept, not dropped', Buffer.from([0xef, 0xbb, 0xbf, 0x61]), '\ufeffa'],
];
for (const [name, value, expected] of good) {
  test(`text: ${name} is accepted as sent`, () => {
    assert.deepEqual(decodeText(value, 253), { ok: true, value: expected });
  });
}

const bad: Array<[string, Buffer, TextProblem]> = [
  ['empty', Buffer.alloc(0), 'empty'],
  ['too long', Buffer.alloc(254, 0x61), 'too_long'],
  ['a NUL inside', utf8('alice\u0000@contoso.com'), 'control_character'],
  ['a NUL at the end', utf8('alice\u0000'), 'control_character'],
  ['only a NUL', Buffer.from([0]), 'control_character'],
  ['\\x01', utf8('al\u0001ice'), 'control_character'],
  ['a tab', utf8('al\tice'), 'control_character'],
  ['a line feed (a forged log line)', utf8('alice\n{"decision":"accept"}'), 'control_character'],
  ['a carriage return', utf8('alice\r'), 'control_character'],
  ['an escape (terminal control)', utf8('\u001b[31malice'), 'control_character'],
  ['\\x1f', utf8('a\u001fb'), 'control_character'],
  ['DEL \\x7f', utf8('alice\u007f'), 'control_character'],
  ['C1 NEL \\u0085', utf8('alice\u0085'), 'control_character'],
  ['C1 \\u0080', utf8('\u0080alice'), 'control_character'],
  ['C1 \\u009f', utf8('alice\u009f'), 'control_character'],
  ['a lone continuation octet', Buffer.from([0x61, 0x80, 0x62]), 'invalid_utf8'],
  ['Latin-1 ü', Buffer.from([0x6a, 0xfc, 0x72]), 'invalid_utf8'],
  ['a truncated sequence', Buffer.from([0x61, 0xe2, 0x82]), 'invalid_utf8'],
  ['an overlong NUL (C0 80)', Buffer.from([0x61, 0xc0, 0x80]), 'invalid_utf8'],
  ['an overlong slash', Buffer.from([0xe0, 0x80, 0xaf]), 'invalid_utf8'],
  ['an encoded surrogate (CESU-8)', Buffer.from([0xed, 0xa0, 0x80]), 'invalid_utf8'],
  ['past U+10FFFF', Buffer.from([0xf4, 0x90, 0x80, 0x80]), 'invalid_utf8'],
  ['0xFF', Buffer.from([0xff]), 'invalid_utf8'],
];
for (const [name, value, problem] of bad) {
  test(`text: ${name} is refused as ${problem}`, () => {
    assert.deepEqual(decodeText(value, 253), { ok: false, problem });
  });
}

test('text: the length limit counts octets, not characters', () => {
  assert.deepEqual(decodeText(utf8('ééé'), 6), { ok: true, value: 'ééé' });
  assert.deepEqual(decodeText(utf8('éééé'), 6), { ok: false, problem: 'too_long' });
});

const passwords: Array<[string, Buffer, ReturnType<typeof decodePasswordText>]> = [
  ['printable ASCII', utf8('Secret-Pass123456'), { ok: true, value: 'Secret-Pass123456' }],
  ['spaces and symbols', utf8(' p@ss w0rd!"§$%&/()=?123456'), { ok: true, value: ' p@ss w0rd!"§$%&/()=?123456' }],
  ['non-ASCII', utf8('Pässwörd-123456'), { ok: true, value: 'Pässwörd-123456' }],
  ['a NUL inside', utf8('Secret\u0000Pass123456'), { ok: false, problem: 'control_character' }],
  ['invalid UTF-8', Buffer.from([0x50, 0xfc, 0x31]), { ok: false, problem: 'invalid_utf8' }],
  ['empty', Buffer.alloc(0), { ok: false, problem: 'empty' }],
];
for (const [name, value, expected] of passwords) {
  test(`password text: ${name}`, () => {
    assert.deepEqual(decodePasswordText(value), expected);
  });
}
