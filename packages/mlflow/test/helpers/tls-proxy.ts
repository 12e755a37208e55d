import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:tls';
import { promisify } from 'node:util';
import { LoopbackProxy } from './loopback-proxy.js';

const run = promisify(execFile);
const openssl = (...args: string[]) => run('openssl', args, { timeout: 60_000 });

/** A throwaway CA and a server certificate it signed for 127.0.0.1 (IP SAN), as PEM files. */
export interface TestCertificates {
  readonly dir: string;
  /** The CA certificate: what a client trusts. */
  readonly caPath: string;
  readonly serverKeyPath: string;
  readonly serverCertPath: string;
}

/** Makes a CA and a 127.0.0.1 server certificate with the `openssl` CLI in a new temp folder. */
export async function createTestCertificates(): Promise<TestCertificates> {
  const dir = await mkdtemp(join(tmpdir(), 'logbook-tls-'));
  const file = (name: string) => join(dir, name);
  await openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=Logbook throwaway test CA', '-keyout', file('ca.key'), '-out', file('ca.pem'));
  await openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', file('server.key'), '-out', file('server.csr'));
  await writeFile(file('server.ext'), 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  await openssl(
    'x509',
    '-req',
    '-days',
    '1',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-extfile',
    file('server.ext'),
    '-out',
    file('server.pem'),
  );
  return { dir, caPath: file('ca.pem'), serverKeyPath: file('server.key'), serverCertPath: file('server.pem') };
}

/** Removes the folder of {@link createTestCertificates}. */
export async function removeTestCertificates(certs: TestCertificates): Promise<void> {
  await rm(certs.dir, { recursive: true, force: true });
}

/**
 * A TLS-terminating proxy on 127.0.0.1 in front of a plain-HTTP server (a transport test double):
 * it presents the test server certificate and forwards the decrypted bytes over TCP.
 */
export class TlsProxy extends LoopbackProxy {
  private constructor(key: Buffer, cert: Buffer, target: URL) {
    super(createServer({ key, cert }), target);
    // Counted at TCP accept, so a connection whose handshake the client aborts counts too.
    this.server.on('connection', (socket: Socket) => {
      this.connections += 1;
      this.track(socket);
    });
    this.server.on('secureConnection', (client: Socket) => this.connectUpstream(this.track(client)).pipe(client));
    // A client that rejects the certificate aborts the handshake: expected here, not an error.
    this.server.on('tlsClientError', () => {});
  }

  /** Starts a proxy to `targetUri` (`http://host:port`) serving `certs`' server certificate. */
  static async start(targetUri: string, certs: TestCertificates): Promise<TlsProxy> {
    const [key, cert] = await Promise.all([readFile(certs.serverKeyPath), readFile(certs.serverCertPath)]);
    const proxy = new TlsProxy(key, cert, new URL(targetUri));
    await proxy.listen();
    return proxy;
  }

  /** `https://127.0.0.1:<port>` of the proxy. */
  get uri(): string {
    return this.origin('https');
  }
}
