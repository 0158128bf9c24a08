import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { buildManifest } from './build';
import { defaultExperimentForm, defaultFault, switchFaultAction } from './defaults';
import { experimentFormSchema, FORM_ACTIONS, FORM_KINDS, type FormKind } from './form';
import { importManifest } from './import';
import { faultLabel, SAMPLE_FAULTS, sampleForm } from './samples.test-data';

describe('buildManifest', () => {
  it('writes a PodChaos with the selector, mode and duration where Chaos Mesh reads them', () => {
    const form = sampleForm({ kind: 'PodChaos', action: 'pod-kill' }, { duration: '20s' });
    expect(buildManifest(form)).toEqual({
      apiVersion: 'chaos-mesh.org/v1alpha1',
      kind: 'PodChaos',
      metadata: { name: 'order-chaos' },
      spec: {
        action: 'pod-kill',
        mode: 'one',
        selector: { namespaces: ['shop'], labelSelectors: { app: 'order', tier: 'backend' } },
        duration: '20s',
      },
    });
  });

  it('writes the network peer, direction and delay of a NetworkChaos', () => {
    const manifest = buildManifest(sampleForm(SAMPLE_FAULTS[3] ?? defaultFault('NetworkChaos')));
    expect(manifest.spec).toMatchObject({
      action: 'delay',
      direction: 'to',
      delay: { latency: '90ms', jitter: '10ms', correlation: '25' },
      target: { mode: 'all', selector: { namespaces: ['shop'], labelSelectors: { app: 'payment' } } },
    });
  });

  it('puts stressors under spec.stressors and gives HTTPChaos no spec.action', () => {
    const stress = buildManifest(sampleForm({ kind: 'StressChaos', memory: { workers: 1, size: '256MB' } }));
    expect(stress.spec).not.toHaveProperty('action');
    expect(stress.spec.stressors).toEqual({ memory: { workers: 1, size: '256MB' } });

    const http = buildManifest(sampleForm({ kind: 'HTTPChaos', action: 'abort', target: 'Request', port: 80 }));
    expect(http.spec).not.toHaveProperty('action');
    expect(http.spec).toMatchObject({ abort: true, target: 'Request', port: 80 });
  });

  it('writes the mode value only for the modes that take one, and never empty optional fields', () => {
    const form = sampleForm({ kind: 'PodChaos', action: 'pod-failure' }, { duration: undefined });
    form.target = { ...form.target, mode: 'fixed-percent', value: '50' };
    const spec = buildManifest(form).spec;
    expect(spec).toMatchObject({ mode: 'fixed-percent', value: '50' });
    expect(spec).not.toHaveProperty('duration');

    const parsed = experimentFormSchema.parse({
      ...sampleForm({ kind: 'HTTPChaos', action: 'delay', target: 'Request', port: 80, delay: '1s' }),
      duration: '',
      fault: { kind: 'HTTPChaos', action: 'delay', target: 'Request', port: 80, delay: '1s', path: '', method: '' },
    });
    expect(buildManifest(parsed).spec).toEqual({
      mode: 'one',
      selector: { namespaces: ['shop'], labelSelectors: { app: 'order', tier: 'backend' } },
      target: 'Request',
      port: 80,
      delay: '1s',
    });
  });

  it('leaves out the namespace and labels that are not given', () => {
    const form = sampleForm({ kind: 'DNSChaos', action: 'random' });
    form.target = { namespace: '', selector: {}, mode: 'all' };
    expect(buildManifest(form).spec.selector).toEqual({});
  });
});

describe('form → manifest → import round trip', () => {
  it.each(SAMPLE_FAULTS.map((fault) => [faultLabel(fault), fault] as const))(
    'gives back the same %s form',
    (_, fault) => {
      const form = sampleForm(fault);
      expect(experimentFormSchema.safeParse(form).error?.issues ?? []).toEqual([]);
      const manifest = buildManifest(form);
      expect(importManifest(manifest)).toEqual({ form });
      // Through YAML text as the editor holds it, too.
      expect(importManifest(parse(stringify(manifest)))).toEqual({ form });
    },
  );

  it('covers every kind and every action the form offers', () => {
    for (const kind of FORM_KINDS) {
      const actions: readonly string[] = FORM_ACTIONS[kind];
      const sampled = SAMPLE_FAULTS.filter((f) => f.kind === kind).map((f) => ('action' in f ? f.action : null));
      expect(sampled.length, kind).toBeGreaterThan(0);
      for (const action of actions) expect(sampled, `${kind} ${action}`).toContain(action);
    }
  });
});

describe('defaults', () => {
  const pairs = FORM_KINDS.flatMap((kind: FormKind): Array<[FormKind, string | null]> => {
    const actions: readonly string[] = FORM_ACTIONS[kind];
    return actions.length === 0 ? [[kind, null]] : actions.map((a) => [kind, a]);
  });

  /** Defaults leave empty only what no default can guess: container names, the Java method. */
  const NEEDS_INPUT: Record<string, string[]> = {
    'PodChaos container-kill': ['fault.containerNames'],
    'JVMChaos exception': ['fault.class', 'fault.method'],
    'JVMChaos latency': ['fault.class', 'fault.method'],
    'JVMChaos return': ['fault.class', 'fault.method', 'fault.returnValue'],
  };

  it.each(pairs)('has a default %s %s that is valid or asks only for what cannot be guessed', (kind, action) => {
    const fault = defaultFault(kind, action);
    expect('action' in fault ? fault.action : null).toBe(action);
    const form = sampleForm(fault);
    const issues = experimentFormSchema.safeParse(form).error?.issues.map((i) => i.path.join('.')) ?? [];
    expect(issues).toEqual(NEEDS_INPUT[`${kind} ${action}`] ?? []);
    if (issues.length === 0) expect(importManifest(buildManifest(form))).toEqual({ form });
  });

  it('hands out a fresh object every time', () => {
    const a = defaultFault('NetworkChaos', 'delay');
    const b = defaultFault('NetworkChaos', 'delay');
    expect(a).toEqual(b);
    expect(a).not.toBe(b);
  });

  it('keeps the fields two actions share when switching between them', () => {
    const delay = SAMPLE_FAULTS[3];
    if (!delay) throw new Error('sample missing');
    expect(switchFaultAction(delay, 'loss')).toEqual({
      kind: 'NetworkChaos',
      action: 'loss',
      direction: 'to',
      loss: { loss: '25' },
      target: { namespace: 'shop', selector: { app: 'payment' }, mode: 'all' },
    });
    const abort = { kind: 'HTTPChaos', action: 'abort', target: 'Request', port: 8080, path: '/api/*' } as const;
    expect(switchFaultAction(abort, 'delay')).toEqual({ ...abort, action: 'delay', delay: '1s' });
  });

  it('starts a form on the target the composer was opened with, named after it', () => {
    const form = defaultExperimentForm({ namespace: 'shop', selector: { app: 'order' } });
    expect(form).toMatchObject({
      name: 'pod-kill-order',
      target: { namespace: 'shop', selector: { app: 'order' }, mode: 'one' },
      duration: '30s',
      fault: { kind: 'PodChaos', action: 'pod-kill' },
    });
    expect(experimentFormSchema.safeParse(form).success).toBe(true);
    expect(experimentFormSchema.safeParse(defaultExperimentForm()).error?.issues.map((i) => i.path)).toEqual([
      ['target', 'namespace'],
    ]);
  });
});

describe('experimentFormSchema', () => {
  const form = sampleForm({ kind: 'PodChaos', action: 'pod-kill' });
  const issues = (value: unknown) => experimentFormSchema.safeParse(value).error?.issues.map((i) => i.path.join('.'));

  it('asks for a value in the fixed modes, a percentage in the percent modes', () => {
    expect(issues({ ...form, target: { ...form.target, mode: 'fixed' } })).toEqual(['target.value']);
    expect(issues({ ...form, target: { ...form.target, mode: 'fixed', value: '3' } })).toBeUndefined();
    expect(issues({ ...form, target: { ...form.target, mode: 'random-max-percent', value: '150' } })).toEqual([
      'target.value',
    ]);
    expect(issues({ ...form, target: { ...form.target, mode: 'all', value: '3' } })).toEqual(['target.value']);
  });

  it('rejects durations, names and labels Kubernetes would not take', () => {
    expect(issues({ ...form, duration: '20 seconds' })).toEqual(['duration']);
    expect(issues({ ...form, name: 'Order_Chaos' })).toEqual(['name']);
    expect(issues({ ...form, target: { ...form.target, selector: { 'bad key!': 'x' } } })).toEqual([
      'target.selector.bad key!',
    ]);
  });

  it('checks the parameters of each action', () => {
    const fault = (f: unknown) => issues({ ...form, fault: f });
    expect(fault({ kind: 'PodChaos', action: 'container-kill', containerNames: [] })).toEqual(['fault.containerNames']);
    expect(fault({ kind: 'NetworkChaos', action: 'loss', loss: { loss: '120' } })).toEqual(['fault.loss.loss']);
    expect(fault({ kind: 'StressChaos' })).toEqual(['fault.cpu']);
    expect(fault({ kind: 'IOChaos', action: 'fault', volumePath: 'data', errno: 5 })).toEqual(['fault.volumePath']);
    expect(
      fault({
        kind: 'HTTPChaos',
        action: 'patch',
        target: 'Response',
        port: 80,
        patch: { body: { type: 'JSON', value: '{' } },
      }),
    ).toEqual(['fault.patch.body.value']);
    expect(fault({ kind: 'JVMChaos', action: 'stress', cpuCount: 1, memType: 'heap' })).toEqual(['fault.cpuCount']);
    expect(fault({ kind: 'TimeChaos', timeOffset: 'ten minutes' })).toEqual(['fault.timeOffset']);
    expect(fault({ kind: 'Schedule' })).toEqual(['fault.kind']);
  });
});
