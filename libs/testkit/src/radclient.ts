import { execFile } from 'node:child_process';

/**
 * Drives the real FreeRADIUS `radclient` (freeradius-utils) for integration tests: attributes
 * go in on stdin, the `-x` transcript is parsed into the reply code and attributes. The shared
 * secret is passed on the command line and so visible in `ps` - acceptable in tests only.
 */
export interface RadclientOptions {
  host?: string;
  port: number;
  secret: string;
  /** Attribute/value pairs (values are quoted unless they are 0x-hex), or raw radclient text. */
  attributes?: Record<string, string> | string;
  code?: 'auth' | 'status';
  /** Seconds to wait for a reply per attempt (default 1). */
  timeoutSec?: number;
  /** Total attempts (radclient `-r`; default 1). */
  retries?: number;
  /** Add `Message-Authenticator = 0x00` so radclient signs the request (default true). */
  messageAuthenticator?: boolean;
}

export interface RadclientResult {
  /** Reply code as radclient names it (`Access-Accept`, `Access-Reject`, ...), `timeout` or `error`. */
  code: string;
  /** Reply attributes; for a repeated attribute, the first value. */
  attributes: Record<string, string>;
  /** Every reply attribute in packet order. */
  attributeList: Array<[string, string]>;
  /** stdout and stderr of the run. */
  raw: string;
  exitCode: number;
}

function quote(value: string): string {
  if (/^0x[0-9a-f]*$/i.test(value)) return value;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** Renders attributes as radclient reads them on stdin. */
export function radclientInput(attributes: RadclientOptions['attributes'], messageAuthenticator: boolean): string {
  let text =
    typeof attributes === 'string'
      ? attributes.trim()
      : Object.entries(attributes ?? {})
          .map(([name, value]) => `${name} = ${quote(value)}`)
          .join('\n');
  if (messageAuthenticator && !/^\s*Message-Authenticator\b/im.test(text)) {
    text = text ? `${text}\nMessage-Authenticator = 0x00` : 'Message-Authenticator = 0x00';
  }
  return `${text}\n`;
}

function unquote(value: string): string {
  if (!value.startsWith('"') || !value.endsWith('"') || value.length < 2) return value;
  return value.slice(1, -1).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

/** Parses radclient's `-x` transcript: the last `Received ...` block wins. */
export function parseRadclientOutput(output: string): Pick<RadclientResult, 'code' | 'attributes' | 'attributeList'> {
  const lines = output.split('\n');
  let start = -1;
  let code = '';
  lines.forEach((line, index) => {
    const match = /^Received (\S+) Id \d+ from /.exec(line);
    if (match) {
      start = index;
      code = match[1]!;
    }
  });
  if (start < 0) return { code: /No reply from server/.test(output) ? 'timeout' : 'error', attributes: {}, attributeList: [] };
  const attributeList: Array<[string, string]> = [];
  for (const line of lines.slice(start + 1)) {
    const match = /^\s+([A-Za-z0-9:._-]+) = (.*)$/.exec(line);
    if (!match) break;
    attributeList.push([match[1]!, unquote(match[2]!)]);
  }
  const attributes: Record<string, string> = {};
  for (const [name, value] of attributeList) if (!(name in attributes)) attributes[name] = value;
  return { code, attributes, attributeList };
}

export async function radclient(options: RadclientOptions): Promise<RadclientResult> {
  const host = options.host ?? '127.0.0.1';
  const target = host.includes(':') ? `[${host}]:${options.port}` : `${host}:${options.port}`;
  const timeoutSec = options.timeoutSec ?? 1;
  const retries = options.retries ?? 1;
  const args = ['-x', '-t', String(timeoutSec), '-r', String(retries), target, options.code ?? 'auth', options.secret];
  const input = radclientInput(options.attributes, options.messageAuthenticator ?? true);
  return new Promise((resolve, reject) => {
    const child = execFile(
      'radclient',
      args,
      { timeout: (timeoutSec * retries + 5) * 1000, maxBuffer: 1024 * 1024 },
      (error, stdout, stderr) => {
        const exitCode = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        if (error && typeof error.code !== 'number') {
          // ENOENT (not installed) or killed by our timeout: not a RADIUS outcome.
          reject(
            Object.assign(new Error(`radclient failed to run: ${error.message.split(options.secret).join('***')}`), {
              code: 'radclient_failed',
            }),
          );
          return;
        }
        const raw = `${stdout}${stderr}`;
        resolve({ ...parseRadclientOutput(stdout), raw, exitCode });
      },
    );
    child.stdin?.end(input);
  });
}
