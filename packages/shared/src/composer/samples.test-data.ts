import type { ExperimentForm, FaultForm } from './form';

/**
 * One fault per kind and action the form offers, with every optional field the action has set,
 * so round-trip tests reach every branch of the builder and the importer.
 */
export const SAMPLE_FAULTS: readonly FaultForm[] = [
  { kind: 'PodChaos', action: 'pod-kill', gracePeriod: 5 },
  { kind: 'PodChaos', action: 'pod-failure' },
  { kind: 'PodChaos', action: 'container-kill', containerNames: ['app', 'sidecar'] },
  {
    kind: 'NetworkChaos',
    action: 'delay',
    direction: 'to',
    delay: { latency: '90ms', jitter: '10ms', correlation: '25' },
    target: { namespace: 'shop', selector: { app: 'payment' }, mode: 'all' },
  },
  { kind: 'NetworkChaos', action: 'loss', direction: 'from', loss: { loss: '25', correlation: '50' } },
  { kind: 'NetworkChaos', action: 'duplicate', duplicate: { duplicate: '5' } },
  { kind: 'NetworkChaos', action: 'corrupt', direction: 'both', corrupt: { corrupt: '1.5', correlation: '0' } },
  {
    kind: 'NetworkChaos',
    action: 'partition',
    direction: 'both',
    target: { namespace: 'shop', selector: { app: 'redis' }, mode: 'fixed-percent', value: '50' },
  },
  {
    kind: 'NetworkChaos',
    action: 'bandwidth',
    direction: 'to',
    bandwidth: { rate: '1mbps', limit: 100, buffer: 10000, peakrate: 1000000, minburst: 1000000 },
  },
  { kind: 'StressChaos', cpu: { workers: 2, load: 80 } },
  { kind: 'StressChaos', memory: { workers: 1, size: '256MB' } },
  { kind: 'StressChaos', cpu: { workers: 1 }, memory: { workers: 2, size: '50%' } },
  {
    kind: 'IOChaos',
    action: 'latency',
    volumePath: '/var/lib/redis',
    path: '/var/lib/redis/**/*',
    percent: 50,
    methods: ['read', 'write'],
    delay: '100ms',
  },
  { kind: 'IOChaos', action: 'fault', volumePath: '/data', errno: 5 },
  { kind: 'IOChaos', action: 'attrOverride', volumePath: '/data', path: '/data/a', attr: { perm: 72, uid: 0 } },
  { kind: 'HTTPChaos', action: 'abort', target: 'Request', port: 8080, path: '/api/*', method: 'POST' },
  { kind: 'HTTPChaos', action: 'delay', target: 'Request', port: 80, delay: '2s' },
  {
    kind: 'HTTPChaos',
    action: 'replace',
    target: 'Response',
    port: 80,
    path: '*',
    replace: { code: 503, body: 'c29ycnk=' },
  },
  {
    kind: 'HTTPChaos',
    action: 'patch',
    target: 'Response',
    port: 80,
    path: '*',
    patch: { body: { type: 'JSON', value: '{"status":"Failed"}' } },
  },
  { kind: 'DNSChaos', action: 'error', patterns: ['payment.*', 'google.com'] },
  { kind: 'DNSChaos', action: 'random' },
  { kind: 'TimeChaos', timeOffset: '-10m100ns', clockIds: ['CLOCK_REALTIME'] },
  { kind: 'TimeChaos', timeOffset: '1h' },
  {
    kind: 'JVMChaos',
    action: 'exception',
    class: 'Main',
    method: 'sayHello',
    exception: 'java.io.IOException("BOOM")',
  },
  { kind: 'JVMChaos', action: 'latency', class: 'com.shop.Order', method: 'place', latency: 1500 },
  { kind: 'JVMChaos', action: 'return', class: 'com.shop.Order', method: 'total', returnValue: '0' },
  { kind: 'JVMChaos', action: 'stress', memType: 'heap' },
  { kind: 'JVMChaos', action: 'stress', cpuCount: 2 },
  { kind: 'JVMChaos', action: 'gc' },
];

/** A complete form around a fault: a named experiment on `app=order` in `shop`. */
export function sampleForm(fault: FaultForm, overrides: Partial<ExperimentForm> = {}): ExperimentForm {
  return {
    name: 'order-chaos',
    target: { namespace: 'shop', selector: { app: 'order', tier: 'backend' }, mode: 'one' },
    duration: '30s',
    fault,
    ...overrides,
  };
}

export function faultLabel(fault: FaultForm): string {
  return 'action' in fault ? `${fault.kind} ${fault.action}` : fault.kind;
}
