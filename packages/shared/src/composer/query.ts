import { isLabelKey, isLabelValue } from '../topology-selector';

/**
 * The `selector` query parameter that links a picked target to the composer:
 * `/runs/new?env=dev&namespace=shop&selector={"app":"order"}`. Returns the label map, or
 * `null` when the parameter is missing or is not a JSON object of valid labels.
 */
export function parseSelectorQuery(raw: unknown): Record<string, string> | null {
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (typeof value !== 'string' || value === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const entries = Object.entries(parsed);
  const valid = entries.every(([k, v]) => isLabelKey(k) && typeof v === 'string' && isLabelValue(v));
  return valid ? Object.fromEntries(entries as Array<[string, string]>) : null;
}

/** The query that opens the composer on a target; the inverse of {@link parseSelectorQuery}. */
export function composerQuery(target: {
  environment: string;
  namespace: string;
  selector: Readonly<Record<string, string>>;
}): Record<string, string> {
  return { env: target.environment, namespace: target.namespace, selector: JSON.stringify(target.selector) };
}
