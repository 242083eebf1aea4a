// jsqr is a UMD bundle whose module.exports holds the decoder as `default`.
import jsqr from 'jsqr';
import { PNG } from 'pngjs';

/**
 * Reads the text of the QR code in a PNG image (a screenshot, or a data URL's bytes) with an
 * independent decoder, so a test checks what a phone's camera would read, not what was meant.
 */
export function decodeQrPng(png: Buffer): string {
  const image = PNG.sync.read(png);
  const found = jsqr.default(
    new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.byteLength),
    image.width,
    image.height,
  );
  if (!found) throw new Error('no QR code found in the image');
  return found.data;
}

/** The bytes of a `data:image/png;base64,...` URL. */
export function pngDataUrlBytes(url: string): Buffer {
  const match = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(url);
  if (!match) throw new Error('not a PNG data URL');
  return Buffer.from(match[1]!, 'base64');
}
