import { hkdfSync } from 'node:crypto';

/**
 * The portal's own keys, each derived (HKDF-SHA256) from the portal key for one use alone, so every
 * replica derives the same ones and a value made for one use is worthless for another: the sign-in
 * cookie's AES-GCM key and the CSRF tokens' HMAC key. Neither opens a bus message.
 */
export interface PortalKeys {
  cookie: Buffer;
  csrf: Buffer;
}

export function derivePortalKeys(portalKey: Uint8Array): PortalKeys {
  if (portalKey.length !== 32) throw new RangeError('the portal key is 32 bytes');
  const derive = (use: string) => Buffer.from(hkdfSync('sha256', portalKey, Buffer.alloc(0), Buffer.from(`tollgate/portal/${use}`), 32));
  return { cookie: derive('cookie/v1'), csrf: derive('csrf/v1') };
}
