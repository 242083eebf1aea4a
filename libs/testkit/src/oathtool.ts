import { execFile } from 'node:child_process';

/**
 * The real `oathtool` (OATH Toolkit) as an independent TOTP generator for tests. Async
 * (execFile, never the sync variants), and the seed goes in on stdin (`-`) rather than on the
 * command line, so it never shows up in a process listing.
 */
export interface OathtoolTotpOptions {
  base32Secret: string;
  digits?: 6 | 7 | 8;
  period?: number;
  algorithm?: 'SHA1' | 'SHA256' | 'SHA512';
  /** The instant to compute the code for; default now. */
  atMs?: number;
}

export const OATHTOOL_BIN = process.env.OATHTOOL_BIN ?? 'oathtool';

export function oathtoolTotp(options: OathtoolTotpOptions): Promise<string> {
  const digits = options.digits ?? 6;
  const period = options.period ?? 30;
  const algorithm = options.algorithm ?? 'SHA1';
  const seconds = Math.floor((options.atMs ?? Date.now()) / 1000);
  const args = [`--totp=${algorithm}`, '-d', String(digits), '-s', `${period}s`, '-N', `@${seconds}`, '--base32', '-'];
  return new Promise((resolve, reject) => {
    const child = execFile(OATHTOOL_BIN, args, { timeout: 10_000 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`oathtool failed: ${stderr.trim() || error.message}`));
        return;
      }
      const code = stdout.trim();
      if (!new RegExp(`^[0-9]{${digits}}$`).test(code)) reject(new Error('oathtool printed no code'));
      else resolve(code);
    });
    child.stdin?.end(`${options.base32Secret}\n`);
  });
}
