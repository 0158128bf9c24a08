import { describe, expect, it } from 'vitest';
import { NS, service, shopSnapshot, workload } from '../topology.fixtures';
import type { ProviderOutcome } from '../topology.model';
import { createTopologyContext } from '../topology-context';
import { extractHostReferences, parseServiceHost } from './dns-references';
import { envReferenceProvider } from './env-reference.provider';

function run(snapshot = shopSnapshot()): ProviderOutcome {
  return envReferenceProvider.find(createTopologyContext(snapshot), { prometheusUrl: null }) as ProviderOutcome;
}
const targetsOf = (outcome: ProviderOutcome, source: string) =>
  outcome.edges.filter((e) => e.source === `Deployment/${NS}/${source}`).map((e) => e.target.split('/').pop());

describe('env-reference provider', () => {
  it('finds every Service the shop reaches through env vars', () => {
    const outcome = run();
    expect(targetsOf(outcome, 'gateway')).toEqual(['order', 'user']);
    expect(targetsOf(outcome, 'order')).toEqual(['payment', 'inventory', 'redis', 'mysql']);
    expect(targetsOf(outcome, 'payment')).toEqual(['mysql']);
    expect(targetsOf(outcome, 'inventory')).toEqual(['redis', 'mysql']);
    expect(targetsOf(outcome, 'user')).toEqual(['redis', 'mysql']);
  });

  it('names the variable but never its value, which may hold credentials', () => {
    const snapshot = shopSnapshot({
      workloads: [workload('order', { env: { DATABASE_URL: 'mysql://shop:s3cret@mysql:3306/shop' } })],
      services: [service('mysql')],
    });
    const [edge] = run(snapshot).edges;
    expect(edge?.evidence).toBe('env DATABASE_URL → mysql');
    expect(JSON.stringify(edge)).not.toContain('s3cret');
  });

  it('reads args with flags, ports and paths', () => {
    const snapshot = shopSnapshot({
      workloads: [workload('order', { args: ['--payment=payment:8080', '--cache', `http://redis.${NS}.svc:6379/0`] })],
      services: [service('payment'), service('redis'), service('cache')],
    });
    expect(targetsOf(run(snapshot), 'order')).toEqual(['payment', 'redis']);
  });

  it('takes a bare word only under an address-like variable name', () => {
    const snapshot = shopSnapshot({
      workloads: [workload('order', { env: { LOG_LEVEL: 'info', CACHE_HOST: 'redis', MODE: 'mysql' } })],
      services: [service('info'), service('redis'), service('mysql')],
    });
    expect(targetsOf(run(snapshot), 'order')).toEqual(['redis']);
  });

  it('counts .svc names of Services elsewhere or missing as unresolved and ignores outside domains', () => {
    const snapshot = shopSnapshot({
      workloads: [
        workload('order', {
          env: {
            AUTH_URL: 'http://auth.platform.svc.cluster.local:80',
            GONE_URL: `http://gone.${NS}.svc:80`,
            PSP_URL: 'https://api.example.com/v1',
            DOCS: 'see example.org',
          },
        }),
      ],
      services: [service('payment')],
    });
    const outcome = run(snapshot);
    expect(outcome.edges).toEqual([]);
    expect(outcome.unresolved).toBe(2);
  });

  it('skips a workload naming its own Service', () => {
    const snapshot = shopSnapshot({
      workloads: [workload('order', { env: { SELF_URL: 'http://order:8080' } })],
      services: [service('order')],
    });
    expect(run(snapshot).edges).toEqual([]);
  });
});

describe('extractHostReferences', () => {
  it('reads hosts out of URLs, host:port and flags', () => {
    expect(extractHostReferences('mysql://user:pw@mysql.shop.svc:3306/db?x=1')).toEqual([
      { host: 'mysql.shop.svc', explicit: true },
    ]);
    expect(extractHostReferences('jdbc:mysql://db:3306/app')).toEqual([{ host: 'db', explicit: true }]);
    expect(extractHostReferences('--upstream=order:8080')).toEqual([{ host: 'order', explicit: true }]);
    expect(extractHostReferences('redis')).toEqual([{ host: 'redis', explicit: false }]);
    expect(extractHostReferences('a:1, b:2')).toEqual([
      { host: 'a', explicit: true },
      { host: 'b', explicit: true },
    ]);
  });

  it('skips IP addresses, variable references and junk', () => {
    expect(extractHostReferences('10.0.0.1:80')).toEqual([]);
    expect(extractHostReferences('$(ORDER_HOST):8080')).toEqual([]);
    expect(extractHostReferences('hello_world!')).toEqual([]);
  });
});

describe('parseServiceHost', () => {
  it('understands the four Service DNS forms', () => {
    expect(parseServiceHost('order')).toEqual({ service: 'order', namespace: null, qualified: false });
    expect(parseServiceHost('order.shop')).toEqual({ service: 'order', namespace: 'shop', qualified: false });
    expect(parseServiceHost('order.shop.svc')).toEqual({ service: 'order', namespace: 'shop', qualified: true });
    expect(parseServiceHost('order.shop.svc.cluster.local')).toEqual({
      service: 'order',
      namespace: 'shop',
      qualified: true,
    });
  });

  it('refuses other domains', () => {
    expect(parseServiceHost('api.example.co.uk')).toBeNull();
    expect(parseServiceHost('order.shop.svc.other.domain')).toBeNull();
  });
});
