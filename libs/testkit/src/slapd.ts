/**
 * A real OpenLDAP `slapd` (Debian's package) for tests: a generated slapd.conf and LDIF in a temp
 * directory, a test CA and server certificate made with openssl, run as the current user on free
 * local ports (`ldap://` with StartTLS and `ldaps://`). No system service is involved. The
 * directory holds users (one locked and one disabled through the ppolicy overlay's
 * pwdAccountLockedTime), groups (groupOfNames) and a service account.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freeTcpPort } from './free-port.js';
import { makeTestCertificates } from './test-certificates.js';

export const SLAPD_BASE_DN = 'dc=corp,dc=example';
export const SLAPD_SERVICE_DN = `cn=tollgate-svc,ou=services,${SLAPD_BASE_DN}`;
export const SLAPD_SERVICE_PASSWORD = 'Svc-Bind-Password-4471';

export interface SlapdUser {
  uid: string;
  password: string;
  /** ppolicy lock time: a timestamp locks the account, `000001010000Z` locks it for good (disabled). */
  lockedTime?: string;
}

export interface SlapdGroup {
  cn: string;
  members: string[];
}

export interface Slapd {
  /** `ldap://localhost:PORT` (use with StartTLS). */
  url: string;
  /** `ldaps://localhost:PORT`. */
  ldapsUrl: string;
  /** PEM of the test CA that signed the server certificate. */
  caPem: string;
  userDn(uid: string): string;
  stop(): Promise<void>;
  /** Stops and starts slapd again on the same ports and data. */
  restart(): Promise<void>;
  /** Stops and removes its files. */
  close(): Promise<void>;
}

function ldifOf(users: readonly SlapdUser[], groups: readonly SlapdGroup[]): string {
  const blocks = [
    `dn: ${SLAPD_BASE_DN}\nobjectClass: dcObject\nobjectClass: organization\ndc: corp\no: Corp`,
    `dn: ou=people,${SLAPD_BASE_DN}\nobjectClass: organizationalUnit\nou: people`,
    `dn: ou=groups,${SLAPD_BASE_DN}\nobjectClass: organizationalUnit\nou: groups`,
    `dn: ou=services,${SLAPD_BASE_DN}\nobjectClass: organizationalUnit\nou: services`,
    `dn: ou=policies,${SLAPD_BASE_DN}\nobjectClass: organizationalUnit\nou: policies`,
    `dn: cn=default,ou=policies,${SLAPD_BASE_DN}\nobjectClass: applicationProcess\nobjectClass: pwdPolicy\ncn: default\npwdAttribute: userPassword\npwdLockout: TRUE\npwdMaxFailure: 0\npwdLockoutDuration: 0`,
    `dn: ${SLAPD_SERVICE_DN}\nobjectClass: applicationProcess\nobjectClass: simpleSecurityObject\ncn: tollgate-svc\nuserPassword: ${SLAPD_SERVICE_PASSWORD}`,
    ...users.map(
      (u) =>
        `dn: uid=${u.uid},ou=people,${SLAPD_BASE_DN}\nobjectClass: inetOrgPerson\nuid: ${u.uid}\ncn: ${u.uid}\nsn: ${u.uid}\nmail: ${u.uid}@corp.example\nuserPassword: ${u.password}` +
        (u.lockedTime ? `\npwdAccountLockedTime: ${u.lockedTime}` : ''),
    ),
    ...groups.map(
      (g) =>
        `dn: cn=${g.cn},ou=groups,${SLAPD_BASE_DN}\nobjectClass: groupOfNames\ncn: ${g.cn}\n` +
        g.members.map((m) => `member: uid=${m},ou=people,${SLAPD_BASE_DN}`).join('\n'),
    ),
  ];
  return `${blocks.join('\n\n')}\n`;
}

/** The test CA and slapd's certificate as files in `dir`, where slapd.conf names them. */
function writeCertificates(dir: string): void {
  const certificates = makeTestCertificates();
  writeFileSync(path.join(dir, 'ca.pem'), certificates.ca);
  writeFileSync(path.join(dir, 'server.pem'), certificates.cert);
  writeFileSync(path.join(dir, 'server.key'), certificates.key, { mode: 0o600 });
}

function configOf(dir: string): string {
  return `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload ppolicy
pidfile ${dir}/slapd.pid
TLSCACertificateFile ${dir}/ca.pem
TLSCertificateFile ${dir}/server.pem
TLSCertificateKeyFile ${dir}/server.key
database mdb
maxsize 33554432
suffix "${SLAPD_BASE_DN}"
rootdn "cn=admin,${SLAPD_BASE_DN}"
rootpw Admin-Password-9931
directory ${dir}/data
overlay ppolicy
ppolicy_default "cn=default,ou=policies,${SLAPD_BASE_DN}"
access to attrs=userPassword by anonymous auth by * none
access to * by dn.exact="${SLAPD_SERVICE_DN}" read by * none
`;
}

async function waitForPort(port: number, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`slapd did not listen on ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function startSlapd(options: { users: readonly SlapdUser[]; groups?: readonly SlapdGroup[] }): Promise<Slapd> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tollgate-slapd-'));
  mkdirSync(path.join(dir, 'data'));
  writeCertificates(dir);
  writeFileSync(path.join(dir, 'slapd.conf'), configOf(dir));
  writeFileSync(path.join(dir, 'data.ldif'), ldifOf(options.users, options.groups ?? []));
  execFileSync('/usr/sbin/slapadd', ['-f', path.join(dir, 'slapd.conf'), '-l', path.join(dir, 'data.ldif')], { stdio: 'pipe' });
  const [port, ldapsPort] = [await freeTcpPort(), await freeTcpPort()];
  let child: ChildProcess | undefined;

  const start = async () => {
    const urls = `ldap://127.0.0.1:${port}/ ldaps://127.0.0.1:${ldapsPort}/`;
    // -d keeps slapd in the foreground, so it is this process's child and ends with it.
    child = spawn('/usr/sbin/slapd', ['-f', path.join(dir, 'slapd.conf'), '-h', urls, '-d', '0'], { stdio: 'ignore' });
    await waitForPort(port, 10_000);
    await waitForPort(ldapsPort, 10_000);
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGTERM');
    });
  };
  await start();
  return {
    url: `ldap://localhost:${port}`,
    ldapsUrl: `ldaps://localhost:${ldapsPort}`,
    caPem: readFileSync(path.join(dir, 'ca.pem'), 'utf8'),
    userDn: (uid) => `uid=${uid},ou=people,${SLAPD_BASE_DN}`,
    stop,
    async restart() {
      await stop();
      await start();
    },
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
