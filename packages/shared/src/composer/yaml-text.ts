import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';

/** A span of a YAML text in UTF-16 offsets (what editors use), with its 1-based line. */
export interface TextSpan {
  from: number;
  to: number;
  line: number;
}

/** One problem found while reading YAML text, placed in the text. */
export interface YamlProblem extends TextSpan {
  message: string;
}

export type ParsedManifestText = { ok: true; value: unknown } | { ok: false; problems: YamlProblem[] };

/**
 * Reads a manifest written as YAML or JSON (JSON is YAML). Syntax errors and a text holding
 * more than one document come back placed in the text, for inline display.
 */
export function parseManifestText(text: string): ParsedManifestText {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((error) => {
        const [from, to] = error.pos;
        return { from, to: Math.max(to, from), line: lineCounter.linePos(from).line, message: error.message };
      }),
    };
  }
  return { ok: true, value: doc.toJS() };
}

/** Splits `spec.selector.namespaces[0]` or `metadata.labels["app.kubernetes.io/name"]`. */
export function splitJsonPath(path: string): Array<string | number> {
  if (path === '$' || path === '') return [];
  const segments: Array<string | number> = [];
  const pattern = /\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|\['([^']*)'\]|([^.[\]]+)/g;
  for (const match of path.replace(/^\$\.?/, '').matchAll(pattern)) {
    if (match[1] !== undefined) segments.push(Number(match[1]));
    else if (match[2] !== undefined) segments.push(JSON.parse(`"${match[2]}"`) as string);
    else segments.push(match[3] ?? match[4] ?? '');
  }
  return segments;
}

/** The map entry whose key is `key`, or, for keys with dots written unquoted, the longest fit. */
function findEntry(
  node: Node,
  segments: Array<string | number>,
): { consumed: number; key: Node | null; value: Node | null } | null {
  if (isSeq(node)) {
    const index = segments[0];
    const item = typeof index === 'number' ? node.items[index] : undefined;
    return item ? { consumed: 1, key: null, value: item as Node } : null;
  }
  if (!isMap(node)) return null;
  // A path like `labelSelectors.app.kubernetes.io/component` may mean one key with dots.
  for (let n = segments.length; n >= 1; n--) {
    const key = segments.slice(0, n).join('.');
    const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === key);
    if (pair && isPair(pair)) return { consumed: n, key: pair.key as Node, value: (pair.value as Node) ?? null };
  }
  return null;
}

function spanOf(from: number, to: number, lineCounter: LineCounter): TextSpan {
  return { from, to: Math.max(from, to), line: lineCounter.linePos(from).line };
}

/**
 * Where a JSON path of a manifest (as the API reports problems) is written in its YAML text:
 * the value when the path exists, else the deepest part of the path that does (so a missing
 * field points at the object that should hold it). The whole first line for `$`.
 */
export function locateYamlPath(text: string, path: string): TextSpan {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: false });
  const firstLineEnd = text.indexOf('\n') === -1 ? text.length : text.indexOf('\n');
  let node = doc.contents as Node | null;
  let span = spanOf(0, firstLineEnd, lineCounter);
  let segments = splitJsonPath(path);
  while (node && segments.length > 0) {
    const entry = findEntry(node, segments);
    if (!entry) break;
    segments = segments.slice(entry.consumed);
    const keyRange = entry.key?.range;
    const valueRange = entry.value?.range;
    if (segments.length === 0 && valueRange && (isScalar(entry.value) || !keyRange)) {
      span = spanOf(valueRange[0], valueRange[1], lineCounter);
    } else if (keyRange) {
      span = spanOf(keyRange[0], keyRange[1], lineCounter);
    } else if (valueRange) {
      // A sequence item that is a map: point at its first line only.
      const lineEnd = text.indexOf('\n', valueRange[0]);
      span = spanOf(valueRange[0], lineEnd === -1 ? valueRange[1] : Math.min(lineEnd, valueRange[1]), lineCounter);
    }
    node = entry.value;
  }
  return span;
}
