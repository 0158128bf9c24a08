/**
 * Flattens a manifest to its leaves, `path → value as text`, so two manifests can be compared
 * field by field. Empty objects and arrays have no leaves: `labelSelectors: {}` and no
 * `labelSelectors` select the same pods. Scalars compare as text because Chaos Mesh's string
 * fields are often written unquoted (`correlation: 25`).
 */
export function manifestLeaves(value: unknown, prefix = '', into = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      manifestLeaves(item, `${prefix}[${i}]`, into);
    });
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      manifestLeaves(item, prefix ? `${prefix}.${formatKey(key)}` : formatKey(key), into);
    }
  } else if (value !== undefined) {
    into.set(prefix, String(value));
  }
  return into;
}

/** A key as a path segment: plain when it is a simple word, else bracketed and quoted. */
function formatKey(key: string): string {
  return /^[A-Za-z_$][\w$-]*$/.test(key) ? key : `[${JSON.stringify(key)}]`;
}

/**
 * Paths where `actual` differs from `expected`: leaves missing, added or with another value.
 * Each path appears once, sorted.
 */
export function differingLeaves(expected: unknown, actual: unknown): string[] {
  const a = manifestLeaves(expected);
  const b = manifestLeaves(actual);
  const paths = new Set<string>();
  for (const [path, value] of a) if (b.get(path) !== value) paths.add(path);
  for (const path of b.keys()) if (!a.has(path)) paths.add(path);
  return [...paths].sort();
}
