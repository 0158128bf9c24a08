import { z } from 'zod';

/** A label map, as in `metadata.labels` or a Service's `spec.selector`. */
export type LabelMap = Readonly<Record<string, string>>;

const QUALIFIED_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** True for a Kubernetes label key: `[prefix/]name`, prefix a DNS subdomain, name ≤ 63. */
export function isLabelKey(key: string): boolean {
  const slash = key.indexOf('/');
  const prefix = slash === -1 ? null : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  if (prefix !== null && (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return false;
  return name.length > 0 && name.length <= 63 && QUALIFIED_NAME.test(name);
}

/** True for a Kubernetes label value: empty, or ≤ 63 alphanumerics with `-_.` inside. */
export function isLabelValue(value: string): boolean {
  return value === '' || (value.length <= 63 && QUALIFIED_NAME.test(value));
}

export const labelKeySchema = z.string().refine(isLabelKey, 'must be a Kubernetes label key');
export const labelValueSchema = z.string().refine(isLabelValue, 'must be a Kubernetes label value');
export const labelMapSchema = z.record(labelKeySchema, labelValueSchema);

export const LABEL_SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;
export const labelSelectorOperatorSchema = z.enum(LABEL_SELECTOR_OPERATORS);

export const labelSelectorRequirementSchema = z
  .object({
    key: labelKeySchema,
    operator: labelSelectorOperatorSchema,
    values: z.array(labelValueSchema).max(64).optional(),
  })
  .superRefine((req, ctx) => {
    const count = req.values?.length ?? 0;
    const needsValues = req.operator === 'In' || req.operator === 'NotIn';
    if (needsValues && count === 0) {
      ctx.addIssue({ code: 'custom', path: ['values'], message: `${req.operator} needs at least one value` });
    }
    if (!needsValues && count > 0) {
      ctx.addIssue({ code: 'custom', path: ['values'], message: `${req.operator} takes no values` });
    }
  });
export type LabelSelectorRequirement = z.infer<typeof labelSelectorRequirementSchema>;

/** A Kubernetes `LabelSelector`: every `matchLabels` entry and every expression must hold. */
export const labelSelectorSchema = z.object({
  matchLabels: labelMapSchema.optional(),
  matchExpressions: z.array(labelSelectorRequirementSchema).max(32).optional(),
});
export type LabelSelector = z.infer<typeof labelSelectorSchema>;

/** True when every entry of `subset` is also in `labels` (an empty subset is always contained). */
export function isLabelSubset(subset: LabelMap, labels: LabelMap): boolean {
  for (const key in subset) {
    if (labels[key] !== subset[key]) return false;
  }
  return true;
}

/** Whether `labels` satisfies one requirement, with Kubernetes' semantics for absent keys. */
export function matchesRequirement(req: LabelSelectorRequirement, labels: LabelMap): boolean {
  const has = Object.hasOwn(labels, req.key);
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return has && values.includes(labels[req.key] as string);
    case 'NotIn':
      return !has || !values.includes(labels[req.key] as string);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
  }
}

/**
 * Whether `labels` satisfies `selector`, as `metav1.LabelSelectorAsSelector` decides: all
 * `matchLabels` entries and all `matchExpressions`. An empty selector matches everything;
 * callers that must not select everything check {@link isEmptyLabelSelector} first.
 */
export function matchesLabelSelector(selector: LabelSelector, labels: LabelMap): boolean {
  if (selector.matchLabels && !isLabelSubset(selector.matchLabels, labels)) return false;
  return (selector.matchExpressions ?? []).every((req) => matchesRequirement(req, labels));
}

/** True when the selector has neither labels nor expressions, i.e. it would select everything. */
export function isEmptyLabelSelector(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}

/** The labels every map has in common: the entries whose key and value are equal in all of them. */
export function commonLabels(maps: readonly LabelMap[]): Record<string, string> {
  const [first, ...rest] = maps;
  if (!first) return {};
  const common: Record<string, string> = {};
  for (const [key, value] of Object.entries(first)) {
    if (rest.every((m) => m[key] === value)) common[key] = value;
  }
  return common;
}

/** The selector as a string for people: `app=order, tier in (a,b), !legacy`. */
export function formatLabelSelector(selector: LabelSelector): string {
  const parts = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const req of selector.matchExpressions ?? []) {
    const values = (req.values ?? []).join(',');
    if (req.operator === 'In') parts.push(`${req.key} in (${values})`);
    else if (req.operator === 'NotIn') parts.push(`${req.key} notin (${values})`);
    else if (req.operator === 'Exists') parts.push(req.key);
    else parts.push(`!${req.key}`);
  }
  return parts.join(', ');
}
