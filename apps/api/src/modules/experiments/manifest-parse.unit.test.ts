import { MANIFEST_MAX_BYTES } from '@chaosgate/shared';
import { describe, expect, it } from 'vitest';
import { parseManifestText } from './manifest-parse';

const POD_KILL = `apiVersion: chaos-mesh.org/v1alpha1
kind: PodChaos
metadata:
  name: kill
spec:
  action: pod-kill
  mode: one
  selector:
    labelSelectors:
      app: order
`;

const codes = (text: string) => {
  const result = parseManifestText(text);
  return result.ok ? [] : result.issues.map((i) => i.code);
};

describe('parseManifestText', () => {
  it('reads one YAML manifest', () => {
    const result = parseManifestText(POD_KILL);
    expect(result).toEqual({ ok: true, object: expect.objectContaining({ kind: 'PodChaos' }) });
  });

  it('reads JSON too', () => {
    const result = parseManifestText('{"apiVersion":"chaos-mesh.org/v1alpha1","kind":"PodChaos","spec":{}}');
    expect(result.ok).toBe(true);
  });

  it('accepts a leading document marker and comments', () => {
    expect(parseManifestText(`# comment\n---\n${POD_KILL}`).ok).toBe(true);
  });

  it('refuses malformed YAML', () => {
    expect(codes('kind: PodChaos\n  spec: [unclosed\n')).toEqual(['CG_MANIFEST_INVALID_YAML']);
  });

  it('refuses a YAML bomb', () => {
    const bomb = [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
    ].join('\n');
    expect(codes(bomb)).toEqual(['CG_MANIFEST_INVALID_YAML']);
  });

  it('refuses a manifest over the size limit', () => {
    const big = `${POD_KILL}# ${'x'.repeat(MANIFEST_MAX_BYTES)}\n`;
    expect(codes(big)).toEqual(['CG_MANIFEST_TOO_LARGE']);
  });

  it('refuses more than one document', () => {
    expect(codes(`${POD_KILL}---\n${POD_KILL}`)).toEqual(['CG_MANIFEST_INVALID_YAML']);
  });

  it('refuses an empty text', () => {
    expect(codes('# nothing\n')).toEqual(['CG_MANIFEST_INVALID_YAML']);
  });

  it.each(['- a\n- b\n', 'just a string\n', '42\n'])('refuses a root that is not a mapping: %j', (text) => {
    expect(codes(text)).toEqual(['CG_MANIFEST_INVALID_YAML']);
  });

  it.each(['kind: !!binary aGVsbG8=\n', 'kind: !custom x\n', 'spec: !!set {a, b}\n', 'a: !!js/function "x"\n'])(
    'refuses tags: %j',
    (text) => {
      expect(codes(text)).toEqual(['CG_MANIFEST_INVALID_YAML']);
    },
  );

  it('refuses duplicate keys', () => {
    expect(codes('kind: PodChaos\nkind: NetworkChaos\n')).toEqual(['CG_MANIFEST_INVALID_YAML']);
  });

  it('refuses absurd nesting without overflowing the stack', () => {
    const deep = `a: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    expect(codes(deep)).toEqual(['CG_MANIFEST_INVALID_YAML']);
  });
});
