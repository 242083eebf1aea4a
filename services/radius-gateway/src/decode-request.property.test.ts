/**
 * The decoder's properties (decoder-properties.ts) with a fixed seed and a bounded count, so the
 * suite is fast and any failure replays. For long runs: `node scripts/fuzz-radius.mjs --runs N`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { RadiusRequest } from './decode-request.js';
import { decodeDatagram, decoderProperties, handlerNeverAcceptsMutations, type Decoder } from './testing/decoder-properties.js';

const SEED = 20_260_402;
const properties = decoderProperties();
const runs = { randomDatagrams: 400, mutatedSignedPackets: 400, otherSecret: 150, textAttributes: 400 };

test(`property: random datagrams never throw and are never authenticated (seed ${SEED})`, () => {
  fc.assert(properties.randomDatagrams, { seed: SEED, numRuns: runs.randomDatagrams });
});

test(`property: a signed packet with any mutation in what its Message-Authenticator covers is never authenticated (seed ${SEED})`, () => {
  fc.assert(properties.mutatedSignedPackets, { seed: SEED, numRuns: runs.mutatedSignedPackets });
});

test(`property: a packet signed with another secret is bad_message_authenticator (seed ${SEED})`, () => {
  fc.assert(properties.otherSecret, { seed: SEED, numRuns: runs.otherSecret });
});

test(`property: text attributes are decoded faithfully or the request is marked invalid, and the contract agrees (seed ${SEED})`, () => {
  fc.assert(properties.textAttributes, { seed: SEED, numRuns: runs.textAttributes });
});

test(`property: the packet handler never asks for a decision on, nor accepts, a mutated packet (seed ${SEED})`, async () => {
  await fc.assert(handlerNeverAcceptsMutations, { seed: SEED, numRuns: 150 });
});

// The properties are not vacuous: decoders with the faults they exist to catch are caught.
const trustsBadAuthenticator: Decoder = (datagram, secret, options) => {
  const result = decodeDatagram(datagram, secret, options);
  if (result.outcome !== 'bad_message_authenticator') return result;
  const request: RadiusRequest = {
    kind: 'access',
    identifier: datagram[1] ?? 0,
    authenticator: Buffer.alloc(16),
    authentication: 'none',
    proxyStates: [],
  };
  return { outcome: 'ok', request };
};
const lossyText: Decoder = (datagram, secret, options) => {
  const result = decodeDatagram(datagram, secret, options);
  if (result.outcome === 'ok' && result.request.invalid?.problem === 'invalid_utf8') {
    const { invalid: _ignored, ...request } = result.request;
    return { outcome: 'ok', request: { ...request, userName: 'garbled\ufffd' } };
  }
  return result;
};
const throwing: Decoder = (datagram, secret, options) => {
  if (datagram.length >= 4 && datagram.readUInt16BE(2) !== datagram.length) throw new RangeError('offset out of range');
  return decodeDatagram(datagram, secret, options);
};
type Properties = ReturnType<typeof decoderProperties>;
const options = (name: keyof typeof runs) => ({ seed: SEED, numRuns: runs[name] });
const faults: Array<[string, Decoder, keyof typeof runs, (p: Properties) => void]> = [
  [
    'trusts a bad Message-Authenticator',
    trustsBadAuthenticator,
    'mutatedSignedPackets',
    (p) => fc.assert(p.mutatedSignedPackets, options('mutatedSignedPackets')),
  ],
  [
    'trusts a bad Message-Authenticator (other secret)',
    trustsBadAuthenticator,
    'otherSecret',
    (p) => fc.assert(p.otherSecret, options('otherSecret')),
  ],
  [
    'garbles invalid UTF-8 instead of refusing it',
    lossyText,
    'textAttributes',
    (p) => fc.assert(p.textAttributes, options('textAttributes')),
  ],
  ['throws on some packets', throwing, 'randomDatagrams', (p) => fc.assert(p.randomDatagrams, options('randomDatagrams'))],
];
for (const [name, decoder, property, run] of faults) {
  test(`property: a decoder that ${name} is caught by ${property}`, () => {
    assert.throws(() => run(decoderProperties(decoder)), /Property failed/);
  });
}
