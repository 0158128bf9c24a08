/** A host name found in a string, and whether it came with a scheme or a port (a strong hint). */
export interface HostReference {
  host: string;
  explicit: boolean;
}

const HOST = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const PORT = /^\d{1,5}$/;
const SEPARATORS = /[\s,;'"()[\]{}<>|]+/;

/** `user:pass@host:port` → host and whether a port followed. */
function splitAuthority(authority: string): { host: string; port: boolean } {
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  const colon = hostPort.indexOf(':');
  if (colon === -1) return { host: hostPort, port: false };
  return { host: hostPort.slice(0, colon), port: PORT.test(hostPort.slice(colon + 1)) };
}

function referenceIn(token: string): HostReference | null {
  const scheme = token.indexOf('://');
  let rest = token;
  let explicit = false;
  if (scheme !== -1) {
    rest = token.slice(scheme + 3);
    explicit = true;
  } else {
    // `--db=mysql:3306`, `HOST=redis`: the value is after the last `=`.
    rest = token.slice(token.lastIndexOf('=') + 1);
  }
  const authority = rest.split(/[/?#]/, 1)[0] ?? '';
  const { host, port } = splitAuthority(authority);
  const name = host.toLowerCase().replace(/\.$/, '');
  if (name.length === 0 || name.length > 253 || !HOST.test(name) || /^\d+(\.\d+)*$/.test(name)) return null;
  return { host: name, explicit: explicit || port };
}

/**
 * Host names in a free-form string: URLs (`http://payment:8080/x`, `mysql://u:p@mysql/db`,
 * `jdbc:mysql://db:3306`), `host:port`, `--flag=host:port` and bare names. IP addresses are not
 * host names and are skipped.
 */
export function extractHostReferences(text: string): HostReference[] {
  const found = new Map<string, HostReference>();
  for (const token of text.split(SEPARATORS)) {
    if (token === '' || token.includes('$(')) continue;
    const ref = referenceIn(token);
    if (!ref) continue;
    const previous = found.get(ref.host);
    if (!previous || (!previous.explicit && ref.explicit)) found.set(ref.host, ref);
  }
  return [...found.values()];
}

/** Where a host name points inside the cluster: `svc`, `svc.ns`, `svc.ns.svc[.cluster.local]`. */
export interface ServiceAddress {
  service: string;
  /** Null for a bare single-label name: the caller's own namespace. */
  namespace: string | null;
  /** True for the `.svc` forms, which can only be in-cluster Service names. */
  qualified: boolean;
}

/** Reads a host name as a Service DNS name; null when it cannot be one (e.g. `example.co.uk`). */
export function parseServiceHost(host: string, clusterDomain = 'cluster.local'): ServiceAddress | null {
  const labels = host.split('.');
  const suffix = `.svc.${clusterDomain}`;
  if (labels.length === 1) return { service: host, namespace: null, qualified: false };
  if (labels.length === 2) return { service: labels[0] as string, namespace: labels[1] as string, qualified: false };
  if (labels.length === 3 && labels[2] === 'svc') {
    return { service: labels[0] as string, namespace: labels[1] as string, qualified: true };
  }
  if (host.endsWith(suffix) && labels.length === 3 + clusterDomain.split('.').length) {
    return { service: labels[0] as string, namespace: labels[1] as string, qualified: true };
  }
  return null;
}
