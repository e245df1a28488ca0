// Runs once when a server instance starts: open the database before the first request.
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    await stampPeerAddress();
    const { bootServer } = await import('./lib/server/boot');
    await bootServer();
  }
}

/**
 * Copies each request's socket address into a header only the server sets (a client's copy is
 * overwritten): `next start` exposes the socket address nowhere else a route handler can read.
 */
async function stampPeerAddress() {
  const http = await import('node:http');
  const { PEER_HEADER, markPeerStamped } = await import('./lib/http/client-address');
  const proto = http.Server.prototype as unknown as { emit: (event: string, ...args: unknown[]) => boolean; __csPeer?: boolean };
  if (proto.__csPeer) return;
  const emit = proto.emit;
  proto.emit = function (this: unknown, event: string, ...args: unknown[]) {
    if (event === 'request') {
      const req = args[0] as import('node:http').IncomingMessage;
      req.headers[PEER_HEADER] = req.socket?.remoteAddress ?? '';
    }
    return emit.call(this, event, ...args);
  };
  proto.__csPeer = true;
  markPeerStamped();
}
