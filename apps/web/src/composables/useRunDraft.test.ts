import { defaultExperimentForm } from '@chaosgate/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { effectScope, nextTick } from 'vue';
import { parse } from 'yaml';
import { formToYaml, useRunDraft } from './useRunDraft';

const initial = defaultExperimentForm({ namespace: 'chaos-dev', selector: { app: 'order' } });

function start() {
  const scope = effectScope();
  const draft = scope.run(() => useRunDraft(initial, { readDelayMs: 50 }));
  if (!draft) throw new Error('no draft');
  return { scope, draft };
}

describe('useRunDraft', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('starts with the YAML of the form', () => {
    const { draft, scope } = start();
    expect(draft.yamlText.value).toBe(formToYaml(initial));
    expect(parse(draft.yamlText.value)).toMatchObject({ kind: 'PodChaos', spec: { action: 'pod-kill' } });
    scope.stop();
  });

  it('rewrites the YAML when the form changes', () => {
    const { draft, scope } = start();
    draft.form.value.duration = '45s';
    expect(parse(draft.yamlText.value).spec.duration).toBe('45s');
    scope.stop();
  });

  it('imports edited YAML into the form once typing pauses, keeping the text as written', async () => {
    const { draft, scope } = start();
    const text = draft.yamlText.value.replace('duration: 30s', 'duration: 1m # one minute');
    draft.yamlText.value = text;
    expect(draft.form.value.duration).toBe('30s');
    await vi.advanceTimersByTimeAsync(60);
    expect(draft.form.value.duration).toBe('1m');
    expect(draft.yamlText.value).toBe(text);
    expect(draft.fitsForm.value).toBe(true);
    scope.stop();
  });

  it('says why a manifest stays in YAML, and what is wrong with broken YAML', () => {
    const { draft, scope } = start();
    const result = draft.loadYaml('apiVersion: chaos-mesh.org/v1alpha1\nkind: Schedule\nspec: {}\n');
    expect(result).toEqual({ unsupported: { reason: 'kind', kind: 'Schedule', paths: ['kind'] } });
    expect(draft.fitsForm.value).toBe(false);
    expect(draft.form.value.fault.kind).toBe('PodChaos');

    const broken = draft.loadYaml('kind: [PodChaos\n');
    expect('problems' in broken).toBe(true);
    expect(draft.yamlProblems.value.length).toBeGreaterThan(0);
    scope.stop();
  });

  it('renames a suggested name with the fault, but never a name the user chose', async () => {
    const { draft, scope } = start();
    expect(draft.form.value.name).toBe('pod-kill-order');
    draft.form.value.fault = { kind: 'PodChaos', action: 'pod-failure' };
    await nextTick();
    expect(draft.form.value.name).toBe('pod-failure-order');
    draft.form.value.name = 'my-experiment';
    draft.form.value.fault = { kind: 'PodChaos', action: 'pod-kill' };
    await nextTick();
    expect(draft.form.value.name).toBe('my-experiment');
    scope.stop();
  });
});
