import { type ComputedRef, computed, type InjectionKey, inject } from 'vue';
import type { core } from 'zod';

type Translate = (key: string, named?: Record<string, unknown>) => string;

/** Hints for fields whose format a generic message would not explain, by the field's name. */
const FORMAT_HINTS: Record<string, string> = {
  name: 'composer.fieldErrors.name',
  namespace: 'composer.fieldErrors.namespace',
  duration: 'composer.fieldErrors.duration',
  latency: 'composer.fieldErrors.duration',
  jitter: 'composer.fieldErrors.duration',
  delay: 'composer.fieldErrors.duration',
  timeOffset: 'composer.fieldErrors.timeOffset',
  correlation: 'composer.fieldErrors.percent',
  loss: 'composer.fieldErrors.percent',
  duplicate: 'composer.fieldErrors.percent',
  corrupt: 'composer.fieldErrors.percent',
  rate: 'composer.fieldErrors.rate',
  size: 'composer.fieldErrors.size',
  volumePath: 'composer.fieldErrors.absolutePath',
  containerNames: 'composer.fieldErrors.containerNames',
  selector: 'composer.fieldErrors.label',
  cpu: 'composer.fieldErrors.stressor',
  attr: 'composer.fieldErrors.attr',
  replace: 'composer.fieldErrors.replace',
  cpuCount: 'composer.fieldErrors.jvmStress',
};

/** The translated message of one form issue. */
export function describeIssue(issue: core.$ZodIssue, t: Translate): string {
  const path = issue.path.map(String);
  const field = path.at(-1) ?? '';
  // `fault.patch.body.value` holds JSON; `target.value` is the mode's count or percentage.
  if (path.join('.') === 'fault.patch.body.value') return t('composer.fieldErrors.json');
  if (field === 'value') return t('composer.fieldErrors.modeValue');
  if (path.includes('selector')) return t('composer.fieldErrors.label');
  if (issue.code === 'invalid_type' && issue.input === undefined) return t('composer.fieldErrors.required');
  if ((issue.code === 'too_small' || issue.code === 'too_big') && issue.origin !== 'string') {
    if (issue.origin === 'array') return t('composer.fieldErrors.required');
    const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
    return t(issue.code === 'too_small' ? 'composer.fieldErrors.min' : 'composer.fieldErrors.max', {
      n: String(bound),
    });
  }
  const hint = FORMAT_HINTS[field];
  if (hint) return t(hint);
  if (issue.code === 'too_small') return t('composer.fieldErrors.required');
  return t('composer.fieldErrors.invalid');
}

/** Form issues by dotted path (`fault.delay.latency`); the first issue of a path wins. */
export function issuesByPath(issues: readonly core.$ZodIssue[], t: Translate): Map<string, string> {
  const byPath = new Map<string, string>();
  for (const issue of issues) {
    const path = issue.path.map(String).join('.');
    if (!byPath.has(path)) byPath.set(path, describeIssue(issue, t));
  }
  return byPath;
}

export const FIELD_ERRORS: InjectionKey<ComputedRef<Map<string, string>>> = Symbol('composer field errors');

/**
 * The error text for a form field by its path, as the composer page provides it; an empty
 * string when the field is fine. Paths may be prefixed (`fault.target.` for a network peer).
 */
export function useFieldError(prefix = ''): (path: string) => string {
  const errors = inject(
    FIELD_ERRORS,
    computed(() => new Map<string, string>()),
  );
  return (path) => errors.value.get(`${prefix}${path}`) ?? '';
}
