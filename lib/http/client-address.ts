// The client's address, for sign-in throttling and the audit trail: one definition.
//
// `next start` copies the socket's address into X-Forwarded-For only when the request carries
// none, so the header alone can be forged by anyone. instrumentation.ts therefore stamps every
// request with PEER_HEADER from the socket (overwriting whatever a client sent). Behind
// TRUSTED_PROXY_HOPS proxies, the address is the one the outermost trusted proxy saw: the
// n-th entry from the right of X-Forwarded-For; entries further left are the client's word.

import { getEnv } from '@/lib/env';

export const PEER_HEADER = 'x-countersign-peer';
const PEER_FLAG = Symbol.for('countersign.peerStamped');

/** Called by instrumentation.ts once the socket stamp is installed. */
export function markPeerStamped(): void {
  (globalThis as Record<symbol, unknown>)[PEER_FLAG] = true;
}

function peerStamped(): boolean {
  return (globalThis as Record<symbol, unknown>)[PEER_FLAG] === true;
}


const ADDRESS = /^[0-9A-Fa-f:.]{2,45}$/;

function clean(v: string | null | undefined): string | null {
  const s = (v ?? '').trim().replace(/^\[|\]$/g, '').replace(/^::ffff:(?=\d+\.)/, '');
  return ADDRESS.test(s) ? s : null;
}

/** Pure: the address from the headers, given how many proxies are trusted. */
export function clientAddressFrom(headers: Headers, hops: number, stamped: boolean): string | null {
  if (hops > 0) {
    const chain = (headers.get('x-forwarded-for') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    if (chain.length === 0) return clean(stamped ? headers.get(PEER_HEADER) : null);
    return clean(chain[Math.max(0, chain.length - hops)]);
  }
  return stamped ? clean(headers.get(PEER_HEADER)) : null;
}

export function clientAddress(headers: Headers): string | null {
  return clientAddressFrom(headers, getEnv().TRUSTED_PROXY_HOPS, peerStamped());
}
