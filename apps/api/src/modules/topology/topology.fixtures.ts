import { DEPENDS_ON_ANNOTATION, type WorkloadKind } from '@chaosgate/shared';
import type {
  ChaosObject,
  ContainerRefs,
  NamespaceSnapshot,
  PodObject,
  ServiceObject,
  WorkloadObject,
} from './topology.model';

/** Test fixtures: the demo shop of `deploy/local-cluster/demo/shop.yaml` as model objects. */

export const NS = 'chaos-dev';

export function workload(
  name: string,
  options: {
    kind?: WorkloadKind;
    tier?: string;
    dependsOn?: string;
    env?: Record<string, string>;
    args?: string[];
    replicas?: number;
    ready?: number;
    namespace?: string;
  } = {},
): WorkloadObject {
  const container: ContainerRefs = {
    name,
    env: Object.entries(options.env ?? {}).map(([k, v]) => ({ name: k, value: v })),
    args: options.args ?? [],
    command: [],
  };
  const replicas = options.replicas ?? 1;
  return {
    kind: options.kind ?? 'Deployment',
    name,
    namespace: options.namespace ?? NS,
    annotations: options.dependsOn ? { [DEPENDS_ON_ANNOTATION]: options.dependsOn } : {},
    selector: { matchLabels: { app: name } },
    templateLabels: { app: name, tier: options.tier ?? 'backend', version: 'v1' },
    replicas: { ready: options.ready ?? replicas, desired: replicas },
    containers: [container],
  };
}

export function service(name: string, selector: Record<string, string> = { app: name }): ServiceObject {
  return { name, namespace: NS, annotations: {}, selector };
}

export function pod(name: string, labels: Record<string, string>, ready = true): PodObject {
  return { name, namespace: NS, labels, phase: ready ? 'Running' : 'Pending', ready, nodeName: 'local-node-1' };
}

export function podChaos(
  name: string,
  labelSelectors: Record<string, string>,
  phase: ChaosObject['phase'] = 'running',
) {
  return {
    kind: 'PodChaos',
    name,
    namespace: NS,
    phase,
    selectors: [{ namespaces: [NS], labelSelectors, expressionSelectors: [], pods: {} }],
  } satisfies ChaosObject;
}

/** The shop: gateway → order → payment/inventory, user, redis, mysql and a log agent. */
export function shopSnapshot(overrides: Partial<NamespaceSnapshot> = {}): NamespaceSnapshot {
  const workloads = [
    workload('gateway', {
      tier: 'frontend',
      dependsOn: 'order,user',
      replicas: 2,
      env: { ORDER_URL: 'http://order:8080', USER_SERVICE_HOST: `user.${NS}`, USER_SERVICE_PORT: '8080' },
    }),
    workload('order', {
      dependsOn: 'payment,inventory',
      replicas: 2,
      env: {
        PAYMENT_URL: 'http://payment:8080',
        INVENTORY_HOST: `inventory.${NS}`,
        REDIS_ADDR: `redis.${NS}.svc.cluster.local:6379`,
        DATABASE_URL: 'mysql://mysql:3306/shop',
      },
    }),
    workload('payment', {
      dependsOn: 'mysql',
      replicas: 2,
      env: { DATABASE_URL: `mysql://mysql.${NS}.svc:3306/payments`, LOG_LEVEL: 'info' },
    }),
    workload('inventory', { replicas: 2, env: { REDIS_ADDR: 'redis:6379', MYSQL_HOST: 'mysql', MYSQL_PORT: '3306' } }),
    workload('user', {
      env: { REDIS_URL: `redis://redis.${NS}.svc.cluster.local:6379/0`, DB_DSN: 'mysql://mysql:3306/users' },
    }),
    workload('redis', { kind: 'StatefulSet', tier: 'cache' }),
    workload('mysql', { kind: 'StatefulSet', tier: 'database', env: { MYSQL_DATABASE: 'shop' } }),
    workload('log-agent', { kind: 'DaemonSet', tier: 'infra', replicas: 2 }),
  ];
  const services = ['gateway', 'order', 'payment', 'inventory', 'user', 'redis', 'mysql'].map((n) => service(n));
  const pods = workloads.flatMap((w) =>
    Array.from({ length: w.replicas.desired }, (_, i) => pod(`${w.name}-${i}`, { ...w.templateLabels })),
  );
  return { environment: 'dev', namespace: NS, workloads, services, pods, chaosObjects: [], ...overrides };
}
