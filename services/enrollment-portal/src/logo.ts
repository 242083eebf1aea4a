/** The organisation's logo from the settings' data URL, served by the portal itself at `/logo`. */
export interface Logo {
  contentType: 'image/png' | 'image/jpeg' | 'image/svg+xml';
  body: Buffer;
}

const DATA_URL = /^data:(image\/(?:png|jpeg|svg\+xml));base64,([A-Za-z0-9+/]+={0,2})$/;

export function parseLogo(dataUrl: string | null): Logo | undefined {
  if (!dataUrl) return undefined;
  const match = DATA_URL.exec(dataUrl);
  if (!match) return undefined;
  const body = Buffer.from(match[2]!, 'base64');
  return body.length > 0 ? { contentType: match[1] as Logo['contentType'], body } : undefined;
}
