import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeParamValue, formatRfc5424, headerField, priority, sdName, type SyslogMessage } from './rfc5424.js';
import { parseRfc5424, SyslogParseError } from './parse-rfc5424.js';

const base: SyslogMessage = {
  facility: 'authpriv',
  severity: 'notice',
  timestamp: new Date('2026-03-04T10:32:05.123Z'),
  hostname: 'tollgate-agg-7d9f',
  appName: 'tollgate',
  procId: '4242',
  msgId: 'decision',
  structuredData: [
    {
      id: 'decision@32473',
      params: [
        ['user', 'alice'],
        ['decision', 'reject'],
        ['reason', 'otp.invalid'],
        ['aadsts', undefined],
        ['latencyMs', 12],
      ],
    },
  ],
  message: 'reject alice from vpn-1: otp.invalid',
};

test('PRI is facility * 8 + severity', () => {
  const cases: Array<[Parameters<typeof priority>[0], Parameters<typeof priority>[1], number]> = [
    ['kern', 'emerg', 0],
    ['auth', 'info', 38],
    ['authpriv', 'notice', 85],
    ['authpriv', 'info', 86],
    ['local0', 'info', 134],
    ['local7', 'debug', 191],
  ];
  for (const [facility, severity, pri] of cases) assert.equal(priority(facility, severity), pri, `${facility}.${severity}`);
});

test('a decision message, byte for byte', () => {
  assert.equal(
    formatRfc5424(base),
    '<85>1 2026-03-04T10:32:05.123Z tollgate-agg-7d9f tollgate 4242 decision [decision@32473 user="alice" decision="reject" reason="otp.invalid" latencyMs="12"] reject alice from vpn-1: otp.invalid',
  );
});

test('no structured data is "-", no message leaves MSG out', () => {
  assert.equal(
    formatRfc5424({ ...base, structuredData: [], message: undefined }),
    '<85>1 2026-03-04T10:32:05.123Z tollgate-agg-7d9f tollgate 4242 decision -',
  );
});

test('parameter values escape ", \\ and ] and keep UTF-8', () => {
  assert.equal(escapeParamValue('a"b\\c]d'), 'a\\"b\\\\c\\]d');
  const text = formatRfc5424({ ...base, structuredData: [{ id: 'admin@32473', params: [['target', 'jürgen"]\\@contoso.com']] }] });
  assert.ok(text.includes('target="jürgen\\"\\]\\\\@contoso.com"'), text);
  assert.equal(parseRfc5424(text).structuredData['admin@32473']!.target, 'jürgen"]\\@contoso.com');
});

test('header fields are printable ASCII without spaces, cut to length, "-" when empty', () => {
  assert.equal(headerField('my host', 255), 'myhost');
  assert.equal(headerField('', 48), '-');
  assert.equal(headerField('ünï', 48), 'n');
  assert.equal(headerField('x'.repeat(40), 32), 'x'.repeat(32));
  assert.equal(sdName('a b=c]"d'), 'abcd');
  const text = formatRfc5424({ ...base, hostname: 'bad host\n', appName: 'tollgate', message: 'two\nlines' });
  assert.ok(text.startsWith('<85>1 2026-03-04T10:32:05.123Z badhost tollgate '));
  assert.ok(!text.includes('\n'), 'a newline in MSG would split the message');
});

test('what the formatter writes, the parser reads back', () => {
  const parsed = parseRfc5424(formatRfc5424(base));
  assert.equal(parsed.pri, 85);
  assert.equal(parsed.facility, 10);
  assert.equal(parsed.severity, 5);
  assert.equal(parsed.version, 1);
  assert.equal(parsed.timestamp, '2026-03-04T10:32:05.123Z');
  assert.equal(parsed.hostname, 'tollgate-agg-7d9f');
  assert.equal(parsed.appName, 'tollgate');
  assert.equal(parsed.procId, '4242');
  assert.equal(parsed.msgId, 'decision');
  assert.deepEqual(parsed.structuredData, {
    'decision@32473': { user: 'alice', decision: 'reject', reason: 'otp.invalid', latencyMs: '12' },
  });
  assert.equal(parsed.message, 'reject alice from vpn-1: otp.invalid');
});

test('the parser reads the examples of RFC 5424 section 6.5', () => {
  const ex1 = parseRfc5424(
    "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \uFEFF'su root' failed for lonvick on /dev/pts/8",
  );
  assert.deepEqual(
    [ex1.facility, ex1.severity, ex1.hostname, ex1.appName, ex1.procId, ex1.msgId],
    [4, 2, 'mymachine.example.com', 'su', null, 'ID47'],
  );
  assert.equal(ex1.message, "'su root' failed for lonvick on /dev/pts/8");
  const ex3 = parseRfc5424(
    '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"] \uFEFFAn application event log entry...',
  );
  assert.deepEqual(ex3.structuredData, { 'exampleSDID@32473': { iut: '3', eventSource: 'Application', eventID: '1011' } });
  const ex4 = parseRfc5424(
    '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][examplePriority@32473 class="high"]',
  );
  assert.deepEqual(Object.keys(ex4.structuredData), ['exampleSDID@32473', 'examplePriority@32473']);
  assert.equal(ex4.message, '');
});

test('the parser refuses what is not RFC 5424', () => {
  for (const bad of [
    '<34>Oct 11 22:14:15 mymachine su: failed', // RFC 3164
    '<999>1 2003-10-11T22:14:15.003Z h a p m -',
    '<34>1 yesterday h a p m -',
    '<34>1 2003-10-11T22:14:15.003Z h a p m [id x="unterminated]',
    '<34>1 2003-10-11T22:14:15.003Z h a p m [id x="a]b"]',
  ]) {
    assert.throws(() => parseRfc5424(bad), SyslogParseError, bad);
  }
});
