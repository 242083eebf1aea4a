/** An otpauth URI as an inline SVG QR code, made here: the page loads nothing from anyone else. */
import qrcode from 'qrcode';
import { escapeHtml } from './html.js';

export async function otpauthQrSvg(uri: string, label: string): Promise<string> {
  const svg = await qrcode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
  // The library's own markup (paths only, no script or style); labelled for screen readers.
  return svg.replace('<svg ', `<svg class="qr" role="img" aria-label="${escapeHtml(label)}" `);
}
