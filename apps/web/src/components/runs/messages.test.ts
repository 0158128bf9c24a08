import { readdirSync, readFileSync } from 'node:fs';
import {
  FORM_ACTIONS,
  FORM_KINDS,
  type ImportUnsupported,
  IO_ATTRIBUTES,
  NETWORK_DIRECTIONS,
  PROBE_PHASES,
  RUN_STATUSES,
  SELECTOR_MODES,
  TIMELINE_EVENT_TYPES,
} from '@chaosgate/shared';
import { describe, expect, it } from 'vitest';
import en from '../../i18n/en';

const SRC = new URL('../../', import.meta.url);

/** The experiment pages' sources: views, components and composables of runs and the composer. */
function sources(): Array<{ file: string; text: string }> {
  const dirs = ['views/', 'components/runs/', 'components/composer/', 'composables/'];
  return dirs.flatMap((dir) =>
    readdirSync(new URL(dir, SRC))
      .filter((f) => /^(Run|Composer|use-?Run|[A-Z]).*\.(vue|ts)$/.test(f) && !f.endsWith('.test.ts'))
      .filter((f) => dir !== 'views/' || /^(Runs|RunDetail|Composer)/.test(f))
      .filter((f) => dir !== 'composables/' || f.startsWith('useRun'))
      .map((f) => ({ file: `${dir}${f}`, text: readFileSync(new URL(`${dir}${f}`, SRC), 'utf8') })),
  );
}

function message(key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], en);
}

describe('experiment pages messages', () => {
  it('define every key the pages name literally', () => {
    const missing: string[] = [];
    const files = sources();
    expect(files.length).toBeGreaterThan(25);
    for (const { file, text } of files) {
      for (const match of text.matchAll(/['"`]((?:runs|composer|errors|common)\.[A-Za-z0-9_.-]+)['"`]/g)) {
        const key = match[1] ?? '';
        if (typeof message(key) !== 'string') missing.push(`${file}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('define the keys the pages build from the domain', () => {
    const keys = [
      ...FORM_KINDS.flatMap((kind) => [
        `composer.kinds.${kind}`,
        `composer.hints.${kind}`,
        ...FORM_ACTIONS[kind].map((action: string) => `composer.actions.${kind}.${action}`),
      ]),
      ...SELECTOR_MODES.map((m) => `composer.modes.${m}`),
      ...NETWORK_DIRECTIONS.map((d) => `composer.directions.${d}`),
      ...['Request', 'Response'].map((t) => `composer.httpTargets.${t}`),
      ...IO_ATTRIBUTES.map((a) => `composer.attributes.${a}`),
      ...PROBE_PHASES.map((p) => `composer.rules.phaseNames.${p}`),
      ...(['not-a-manifest', 'api-version', 'kind', 'invalid', 'fields'] satisfies ImportUnsupported['reason'][]).map(
        (r) => `composer.yaml.reasons.${r}`,
      ),
      ...RUN_STATUSES.map((s) => `runs.status.${s}`),
      ...TIMELINE_EVENT_TYPES.map((t) => `runs.detail.eventTypes.${t}`),
    ];
    expect(keys.filter((key) => typeof message(key) !== 'string')).toEqual([]);
  });
});
