import type { ProvidedEdge, WorkloadObject } from '../topology.model';
import { nodeIdOf, type TopologyContext } from '../topology-context';
import { extractHostReferences, type HostReference, parseServiceHost } from './dns-references';
import type { EdgeProviderDefinition } from './edge-provider';

/**
 * Env var names that say "this value is an address". A bare one-word value (`MYSQL_HOST=mysql`)
 * only counts under such a name; with a scheme or a port (`redis:6379`) any name counts.
 */
const ADDRESS_NAME =
  /(^|_)(HOST|HOSTNAME|HOSTS|ADDR|ADDRESS|SERVER|SERVERS|SERVICE|SVC|ENDPOINT|ENDPOINTS|URL|URLS|URI|DSN|UPSTREAM|BACKEND|BROKER|BROKERS)$/i;

interface Finding {
  /** Where it was found, e.g. `env ORDER_URL` — never the value, which may hold credentials. */
  where: string;
  ref: HostReference;
  addressName: boolean;
}

function findingsOf(workload: WorkloadObject): Finding[] {
  const findings: Finding[] = [];
  for (const container of workload.containers) {
    for (const variable of container.env) {
      const addressName = ADDRESS_NAME.test(variable.name);
      for (const ref of extractHostReferences(variable.value)) {
        findings.push({ where: `env ${variable.name}`, ref, addressName });
      }
    }
    [...container.command, ...container.args].forEach((arg, i) => {
      for (const ref of extractHostReferences(arg)) {
        findings.push({ where: `${container.name} arg ${i}`, ref, addressName: false });
      }
    });
  }
  return findings;
}

/** The Service node a finding names in this namespace's map, `unresolved`, or nothing at all. */
function resolve(finding: Finding, workload: WorkloadObject, context: TopologyContext): string | 'unresolved' | null {
  const address = parseServiceHost(finding.ref.host);
  if (!address) return null;
  if (address.namespace === null && !finding.ref.explicit && !finding.addressName) return null;
  const namespace = address.namespace ?? workload.namespace;
  if (namespace !== context.snapshot.namespace) return address.qualified ? 'unresolved' : null;
  const service = context.service(namespace, address.service);
  if (service) return nodeIdOf(service);
  return address.qualified ? 'unresolved' : null;
}

/**
 * References to Services' DNS names in pod-template env vars, args and commands: `svc`,
 * `svc.ns`, `svc.ns.svc`, `svc.ns.svc.cluster.local`, alone or inside URLs with ports and paths.
 * Only names of Services that exist are drawn; `.svc` names of absent Services are unresolved.
 */
export const envReferenceProvider: EdgeProviderDefinition = {
  name: 'env-reference',
  find(context) {
    const edges: ProvidedEdge[] = [];
    let unresolved = 0;
    for (const workload of context.snapshot.workloads) {
      for (const finding of findingsOf(workload)) {
        const target = resolve(finding, workload, context);
        if (target === 'unresolved') unresolved += 1;
        if (target === null || target === 'unresolved' || context.isSelfReference(workload, target)) continue;
        edges.push({ source: nodeIdOf(workload), target, evidence: `${finding.where} → ${finding.ref.host}` });
      }
    }
    return { name: 'env-reference', enabled: true, edges, unresolved };
  },
};
