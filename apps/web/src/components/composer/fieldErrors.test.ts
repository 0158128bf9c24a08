import { defaultExperimentForm, experimentFormSchema } from '@chaosgate/shared';
import { describe, expect, it } from 'vitest';
import { issuesByPath } from './fieldErrors';

/** A translator that shows which key and values were asked for. */
const t = (key: string, named?: Record<string, unknown>) => (named ? `${key} ${JSON.stringify(named)}` : key);

function errorsOf(form: unknown): Map<string, string> {
  return issuesByPath(experimentFormSchema.safeParse(form).error?.issues ?? [], t);
}

describe('issuesByPath', () => {
  const form = defaultExperimentForm({ namespace: 'shop', selector: { app: 'order' } });

  it('explains a format by the field it concerns', () => {
    const errors = errorsOf({ ...form, name: 'Bad_Name', duration: 'soon' });
    expect(errors.get('name')).toBe('composer.fieldErrors.name');
    expect(errors.get('duration')).toBe('composer.fieldErrors.duration');
  });

  it('asks for the namespace and names the bounds of numbers', () => {
    const errors = errorsOf({
      ...form,
      target: { ...form.target, namespace: '' },
      fault: { kind: 'HTTPChaos', action: 'abort', target: 'Request', port: 70000 },
    });
    expect(errors.get('target.namespace')).toBe('composer.fieldErrors.namespace');
    expect(errors.get('fault.port')).toBe('composer.fieldErrors.max {"n":"65535"}');
  });

  it('tells the mode value, the labels and the patch JSON apart', () => {
    const errors = errorsOf({
      ...form,
      target: { ...form.target, selector: { 'bad key': 'x' } },
      fault: {
        kind: 'HTTPChaos',
        action: 'patch',
        target: 'Response',
        port: 80,
        patch: { body: { type: 'JSON', value: '{' } },
      },
    });
    const value = errorsOf({ ...form, target: { ...form.target, mode: 'fixed-percent', value: '300' } });
    expect(value.get('target.value')).toBe('composer.fieldErrors.modeValue');
    expect(errors.get('target.selector.bad key')).toBe('composer.fieldErrors.label');
    expect(errors.get('fault.patch.body.value')).toBe('composer.fieldErrors.json');
  });
});
