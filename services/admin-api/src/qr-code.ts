/** An otpauth URI as the QR code an authenticator app scans: a PNG data URL (the console's CSP allows `img-src data:`). */
import qrcode from 'qrcode';

export function otpauthQrCode(uri: string): Promise<string> {
  return qrcode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 4, scale: 6 });
}
