import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isExplicitAddressEntry, isPrivateAddress, matchAllowList } from './probe-url';

/** One HTTP exchange of a probe: what came back and how long it took. */
export interface ProbeHttpAnswer {
  status: number;
  latencyMs: number;
  body: string;
}

export class ProbeRefusedError extends Error {
  override name = 'ProbeRefusedError';
}

/** The largest probe response body read (Prometheus answers are small). */
const MAX_BODY_BYTES = 256 * 1024;

/**
 * A DNS lookup that refuses private, loopback and link-local answers unless the allow-list entry
 * named the address itself: checked on the address the socket actually connects to, so a DNS
 * answer that changes between validation and the probe (rebinding) cannot reach inside.
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as dns.LookupAddress[];
      const refused = list.find((a) => !allowPrivate && isPrivateAddress(a.address));
      if (refused) {
        return callback(new ProbeRefusedError(`${hostname} resolves to private address ${refused.address}`), '', 0);
      }
      if (options.all) return callback(null, list);
      const first = list[0];
      return first
        ? callback(null, first.address, first.family)
        : callback(new Error(`${hostname}: no address`), '', 0);
    });
  };
}

/**
 * Resolves a URL's host as a probe would and says why it may not be probed, or null. Used by
 * validation so that a name resolving inside the network is refused before anything runs.
 */
export async function refusedByDns(url: string, allowList: readonly string[]): Promise<string | null> {
  const verdict = matchAllowList(url, allowList);
  if (!verdict.allowed) return verdict.reason;
  if (isExplicitAddressEntry(verdict.entry)) return null;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  try {
    const addresses = await dns.promises.lookup(host, { all: true });
    const inside = addresses.find((a) => isPrivateAddress(a.address));
    return inside ? `resolves to private address ${inside.address}` : null;
  } catch {
    return 'the host does not resolve';
  }
}

export interface ProbeRequest {
  url: string;
  method: 'GET' | 'HEAD' | 'POST';
  timeoutMs: number;
  allowList: readonly string[];
}

/**
 * Makes one probe request: only to an allow-listed URL, through the guarded lookup, never
 * following redirects (a 3xx is the answer), with a timeout and a capped body.
 */
export function probeRequest(req: ProbeRequest): Promise<ProbeHttpAnswer> {
  const verdict = matchAllowList(req.url, req.allowList);
  if (!verdict.allowed) return Promise.reject(new ProbeRefusedError(`${req.url}: ${verdict.reason}`));
  const target = new URL(req.url);
  const client = target.protocol === 'https:' ? https : http;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = client.request(
      target,
      {
        method: req.method,
        timeout: req.timeoutMs,
        lookup: guardedLookup(isExplicitAddressEntry(verdict.entry)),
        headers: { 'user-agent': 'chaosgate-probe', accept: '*/*' },
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_BODY_BYTES) chunks.push(chunk);
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            latencyMs: Math.round(performance.now() - started),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${req.timeoutMs} ms`)));
    request.on('error', reject);
    request.end();
  });
}
