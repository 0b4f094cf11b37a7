/**
 * Free loopback ports. A module of its own, without side effects, so that the demo
 * (scripts/demo) and the code-server launcher can use it without servers.ts's exit hooks.
 */
import * as net from 'node:net';

/** A free TCP port on 127.0.0.1 (bound, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
