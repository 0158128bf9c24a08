import { isIP } from 'node:net';

/** Why a probe URL may not be used, or null when it may. */
export type ProbeUrlVerdict = { allowed: true; entry: string } | { allowed: false; reason: string };

const defaultPort = (protocol: string) => (protocol === 'https:' ? '443' : protocol === 'http:' ? '80' : '');

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * Matches a probe URL against an environment's allow-list the way a URL is understood, not as a
 * string prefix: same scheme and host (so `http://127.0.0.1.evil.example` never matches
 * `http://127.0.0.1`), the same port when the entry names one (any port otherwise), and a path
 * under the entry's path at a segment boundary. Credentials in the URL are refused.
 */
export function matchAllowList(url: string, allowList: readonly string[]): ProbeUrlVerdict {
  const target = parse(url);
  if (!target || (target.protocol !== 'http:' && target.protocol !== 'https:')) {
    return { allowed: false, reason: 'only http and https URLs can be probed' };
  }
  if (target.username || target.password) return { allowed: false, reason: 'URLs with credentials are refused' };
  for (const entry of allowList) {
    const allowed = parse(entry);
    if (!allowed || allowed.protocol !== target.protocol || allowed.hostname !== target.hostname) continue;
    const entryPort = entry.match(/^[a-z]+:\/\/[^/]*:(\d+)/i) ? allowed.port || defaultPort(allowed.protocol) : null;
    if (entryPort !== null && entryPort !== (target.port || defaultPort(target.protocol))) continue;
    const base = allowed.pathname.endsWith('/') ? allowed.pathname : `${allowed.pathname}/`;
    if (target.pathname === allowed.pathname || target.pathname.startsWith(base)) return { allowed: true, entry };
  }
  return {
    allowed: false,
    reason: allowList.length === 0 ? 'this environment allows no probe targets' : 'not on the allow-list',
  };
}

/**
 * True when the allow-list entry names the host itself as an address (or `localhost`): then a
 * private address is what the SRE chose. A DNS name on the list must resolve to public addresses.
 */
export function isExplicitAddressEntry(entry: string): boolean {
  const host = parse(entry)?.hostname.replace(/^\[|\]$/g, '') ?? '';
  return isIP(host) !== 0 || host === 'localhost';
}

/** Loopback, private, link-local (cloud metadata), CGNAT, unique-local and unspecified ranges. */
export function isPrivateAddress(address: string): boolean {
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(v4) === 4) {
    const [a = 0, b = 0] = v4.split('.').map(Number);
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      a >= 224
    );
  }
  const v6 = address.toLowerCase();
  return v6 === '::' || v6 === '::1' || /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6) || v6.startsWith('ff');
}
