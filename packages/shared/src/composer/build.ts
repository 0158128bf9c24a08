import { CHAOS_API_VERSION } from '../runs';
import type { ExperimentForm, FaultForm, PodTarget } from './form';

/** A Chaos Mesh custom resource as plain data, ready for YAML or JSON. */
export interface ChaosManifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string } & Record<string, unknown>;
  spec: Record<string, unknown>;
}

type Spec = Record<string, unknown>;

/**
 * Copies only the entries that are set, so an unset field never appears as `null` or `""`
 * (a cleared input in a form that is still being filled in gives either).
 */
function defined(entries: Record<string, unknown>): Spec {
  return Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined && v !== null && v !== ''));
}

/** `spec.selector` of a target: its namespace and labels (each only when given). */
export function buildSelector(target: Pick<PodTarget, 'namespace' | 'selector'>): Spec {
  return defined({
    namespaces: target.namespace ? [target.namespace] : undefined,
    labelSelectors: Object.keys(target.selector).length > 0 ? { ...target.selector } : undefined,
  });
}

function buildTarget(target: PodTarget): Spec {
  return defined({ mode: target.mode, value: target.value, selector: buildSelector(target) });
}

function podChaosSpec(fault: Extract<FaultForm, { kind: 'PodChaos' }>): Spec {
  switch (fault.action) {
    case 'pod-kill':
      return defined({ gracePeriod: fault.gracePeriod });
    case 'pod-failure':
      return {};
    case 'container-kill':
      return { containerNames: [...fault.containerNames] };
  }
}

function networkChaosSpec(fault: Extract<FaultForm, { kind: 'NetworkChaos' }>): Spec {
  const common = defined({
    direction: fault.direction,
    target: fault.target ? buildTarget(fault.target) : undefined,
  });
  switch (fault.action) {
    case 'delay':
      return { delay: defined(fault.delay), ...common };
    case 'loss':
      return { loss: defined(fault.loss), ...common };
    case 'duplicate':
      return { duplicate: defined(fault.duplicate), ...common };
    case 'corrupt':
      return { corrupt: defined(fault.corrupt), ...common };
    case 'partition':
      return common;
    case 'bandwidth':
      return { bandwidth: defined(fault.bandwidth), ...common };
  }
}

function stressChaosSpec(fault: Extract<FaultForm, { kind: 'StressChaos' }>): Spec {
  return {
    stressors: defined({
      cpu: fault.cpu ? defined(fault.cpu) : undefined,
      memory: fault.memory ? defined(fault.memory) : undefined,
    }),
  };
}

function ioChaosSpec(fault: Extract<FaultForm, { kind: 'IOChaos' }>): Spec {
  const common = defined({
    volumePath: fault.volumePath,
    path: fault.path,
    percent: fault.percent,
    methods: fault.methods ? [...fault.methods] : undefined,
  });
  switch (fault.action) {
    case 'latency':
      return { ...common, delay: fault.delay };
    case 'fault':
      return { ...common, errno: fault.errno };
    case 'attrOverride':
      return { ...common, attr: defined(fault.attr) };
  }
}

function httpChaosSpec(fault: Extract<FaultForm, { kind: 'HTTPChaos' }>): Spec {
  const common = defined({ target: fault.target, port: fault.port, path: fault.path, method: fault.method });
  switch (fault.action) {
    case 'abort':
      return { ...common, abort: true };
    case 'delay':
      return { ...common, delay: fault.delay };
    case 'replace':
      return { ...common, replace: defined(fault.replace) };
    case 'patch':
      return { ...common, patch: { body: { ...fault.patch.body } } };
  }
}

function jvmChaosSpec(fault: Extract<FaultForm, { kind: 'JVMChaos' }>): Spec {
  switch (fault.action) {
    case 'exception':
      return { class: fault.class, method: fault.method, exception: fault.exception };
    case 'latency':
      return { class: fault.class, method: fault.method, latency: fault.latency };
    case 'return':
      return { class: fault.class, method: fault.method, returnValue: fault.returnValue };
    case 'stress':
      return defined({ cpuCount: fault.cpuCount, memType: fault.memType });
    case 'gc':
      return {};
  }
}

/** The kind-specific part of `spec` (everything but action, mode, selector and duration). */
function faultSpec(fault: FaultForm): Spec {
  switch (fault.kind) {
    case 'PodChaos':
      return podChaosSpec(fault);
    case 'NetworkChaos':
      return networkChaosSpec(fault);
    case 'StressChaos':
      return stressChaosSpec(fault);
    case 'IOChaos':
      return ioChaosSpec(fault);
    case 'HTTPChaos':
      return httpChaosSpec(fault);
    case 'DNSChaos':
      return defined({ patterns: fault.patterns ? [...fault.patterns] : undefined });
    case 'TimeChaos':
      return defined({ timeOffset: fault.timeOffset, clockIds: fault.clockIds ? [...fault.clockIds] : undefined });
    case 'JVMChaos':
      return jvmChaosSpec(fault);
  }
}

/** `spec.action` as Chaos Mesh spells it; HTTPChaos, StressChaos and TimeChaos have none. */
function specAction(fault: FaultForm): string | undefined {
  if (fault.kind === 'HTTPChaos' || fault.kind === 'StressChaos' || fault.kind === 'TimeChaos') return undefined;
  return fault.action;
}

/**
 * The Chaos Mesh v1alpha1 custom resource a form describes. Pure: the same form always gives
 * the same object, with keys in the order people expect to read them. The chaos namespace and
 * chaosgate's ownership labels are added by the server when it renders the preview.
 */
export function buildManifest(form: ExperimentForm): ChaosManifest {
  const { fault, target } = form;
  return {
    apiVersion: CHAOS_API_VERSION,
    kind: fault.kind,
    metadata: { name: form.name },
    spec: {
      ...defined({ action: specAction(fault), mode: target.mode, value: target.value }),
      selector: buildSelector(target),
      ...faultSpec(fault),
      ...defined({ duration: form.duration }),
    },
  };
}
