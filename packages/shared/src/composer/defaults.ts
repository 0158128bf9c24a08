import { type ExperimentForm, type FaultForm, FORM_ACTIONS, type FormKind, type PodTarget } from './form';

/** Starting values of each fault, chosen to be valid and mild (a short delay, one worker). */
const DEFAULT_FAULTS: readonly FaultForm[] = [
  { kind: 'PodChaos', action: 'pod-kill' },
  { kind: 'PodChaos', action: 'pod-failure' },
  { kind: 'PodChaos', action: 'container-kill', containerNames: [] },
  { kind: 'NetworkChaos', action: 'delay', direction: 'to', delay: { latency: '100ms', jitter: '10ms' } },
  { kind: 'NetworkChaos', action: 'loss', direction: 'to', loss: { loss: '25' } },
  { kind: 'NetworkChaos', action: 'duplicate', direction: 'to', duplicate: { duplicate: '10' } },
  { kind: 'NetworkChaos', action: 'corrupt', direction: 'to', corrupt: { corrupt: '10' } },
  { kind: 'NetworkChaos', action: 'partition', direction: 'both' },
  {
    kind: 'NetworkChaos',
    action: 'bandwidth',
    direction: 'to',
    bandwidth: { rate: '1mbps', limit: 20_971_520, buffer: 10_000 },
  },
  { kind: 'StressChaos', cpu: { workers: 1, load: 50 } },
  { kind: 'IOChaos', action: 'latency', volumePath: '/data', path: '/data/**/*', percent: 50, delay: '100ms' },
  { kind: 'IOChaos', action: 'fault', volumePath: '/data', path: '/data/**/*', percent: 50, errno: 5 },
  { kind: 'IOChaos', action: 'attrOverride', volumePath: '/data', path: '/data/**/*', attr: { perm: 72 } },
  { kind: 'HTTPChaos', action: 'abort', target: 'Request', port: 80, path: '*' },
  { kind: 'HTTPChaos', action: 'delay', target: 'Request', port: 80, path: '*', delay: '1s' },
  { kind: 'HTTPChaos', action: 'replace', target: 'Response', port: 80, path: '*', replace: { code: 503 } },
  {
    kind: 'HTTPChaos',
    action: 'patch',
    target: 'Response',
    port: 80,
    path: '*',
    patch: { body: { type: 'JSON', value: '{"chaos":true}' } },
  },
  { kind: 'DNSChaos', action: 'error' },
  { kind: 'DNSChaos', action: 'random' },
  { kind: 'TimeChaos', timeOffset: '-10m' },
  { kind: 'JVMChaos', action: 'exception', class: '', method: '', exception: 'java.io.IOException("chaos")' },
  { kind: 'JVMChaos', action: 'latency', class: '', method: '', latency: 1000 },
  { kind: 'JVMChaos', action: 'return', class: '', method: '', returnValue: '' },
  { kind: 'JVMChaos', action: 'stress', cpuCount: 1 },
  { kind: 'JVMChaos', action: 'gc' },
];

function actionOf(fault: FaultForm): string | null {
  return 'action' in fault ? fault.action : null;
}

/**
 * A fresh fault of `kind` with `action` (the kind's first action when omitted). Returns a new
 * object each time, so a form can edit it in place.
 */
export function defaultFault(kind: FormKind, action?: string | null): FaultForm {
  const wanted = action ?? FORM_ACTIONS[kind][0] ?? null;
  const found = DEFAULT_FAULTS.find((f) => f.kind === kind && actionOf(f) === wanted);
  if (!found) throw new Error(`no ${kind} action ${String(wanted)}`);
  return structuredClone(found);
}

/**
 * Switches a fault to another action of the same kind, keeping the fields both share (the
 * network direction and peer, the HTTP target and port, the I/O volume, the JVM method).
 */
export function switchFaultAction(fault: FaultForm, action: string): FaultForm {
  const next = defaultFault(fault.kind, action) as Record<string, unknown>;
  const current = fault as Record<string, unknown>;
  for (const key of SHARED_FIELDS[fault.kind]) {
    if (key in next || current[key] !== undefined) next[key] = structuredClone(current[key]);
  }
  return next as FaultForm;
}

const SHARED_FIELDS: Record<FormKind, readonly string[]> = {
  PodChaos: [],
  NetworkChaos: ['direction', 'target'],
  StressChaos: [],
  IOChaos: ['volumePath', 'path', 'percent', 'methods'],
  HTTPChaos: ['target', 'port', 'path', 'method'],
  DNSChaos: ['patterns'],
  TimeChaos: [],
  JVMChaos: ['class', 'method'],
};

export interface DefaultFormOptions {
  namespace?: string;
  selector?: Record<string, string>;
  kind?: FormKind;
}

/** A name for an experiment from what it does and whom: `pod-kill-order`. */
export function suggestExperimentName(fault: FaultForm, selector: Record<string, string>): string {
  const what = actionOf(fault) ?? fault.kind.replace(/Chaos$/, '');
  const who = selector.app ?? selector['app.kubernetes.io/name'] ?? Object.values(selector)[0] ?? '';
  const name = `${what}-${who}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  return name.slice(0, 63).replace(/-$/, '') || 'experiment';
}

/** A new composer form: one pod of the given target, killed, for 30 seconds. */
export function defaultExperimentForm(options: DefaultFormOptions = {}): ExperimentForm {
  const fault = defaultFault(options.kind ?? 'PodChaos');
  const target: PodTarget = { namespace: options.namespace ?? '', selector: { ...options.selector }, mode: 'one' };
  return { name: suggestExperimentName(fault, target.selector), target, duration: '30s', fault };
}
