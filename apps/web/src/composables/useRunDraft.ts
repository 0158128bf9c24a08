import {
  buildManifest,
  type ExperimentForm,
  type ImportResult,
  type ImportUnsupported,
  importManifest,
  parseManifestText,
  suggestExperimentName,
  type YamlProblem,
} from '@chaosgate/shared';
import { useDebounceFn } from '@vueuse/core';
import { computed, ref, shallowRef, watch } from 'vue';
import { stringify } from 'yaml';

/** The YAML the form stands for, as the editor shows it. */
export function formToYaml(form: ExperimentForm): string {
  return stringify(buildManifest(form));
}

/** What reading a manifest text gave: a form, a reason to stay in YAML, or syntax problems. */
export type DraftReadResult = ImportResult | { problems: YamlProblem[] };

export interface UseRunDraftOptions {
  /** Quiet time after the last keystroke in the YAML editor before the text is read. */
  readDelayMs?: number;
}

/**
 * An experiment being composed, held twice and kept in step: as the composer form and as the
 * manifest's YAML text. Editing the form rewrites the YAML; editing the YAML (or loading a file)
 * imports it into the form when the form can hold all of it, and otherwise says why the
 * experiment is YAML-only for now. The YAML text is always what gets validated and submitted.
 */
export function useRunDraft(initial: ExperimentForm, options: UseRunDraftOptions = {}) {
  const form = ref<ExperimentForm>(structuredClone(initial));
  const yamlText = ref(formToYaml(initial));
  /** Why the current YAML does not fit the form; null when it does. */
  const importProblem = shallowRef<ImportUnsupported | null>(null);
  /** YAML syntax problems of the current text. */
  const yamlProblems = shallowRef<YamlProblem[]>([]);
  const fitsForm = computed(() => importProblem.value === null && yamlProblems.value.length === 0);

  // Which side is writing right now, so each side's watcher ignores the other's echo.
  let writingYaml = false;
  let writingForm = false;
  let suggestedName = initial.name;

  watch(
    form,
    (current) => {
      if (writingForm) return;
      writingYaml = true;
      yamlText.value = formToYaml(current);
      writingYaml = false;
      importProblem.value = null;
      yamlProblems.value = [];
    },
    { deep: true, flush: 'sync' },
  );

  /** Reads `text` into the form when it fits; reports why not otherwise. */
  function read(text: string): DraftReadResult {
    const parsed = parseManifestText(text);
    if (!parsed.ok) {
      yamlProblems.value = parsed.problems;
      return { problems: parsed.problems };
    }
    yamlProblems.value = [];
    const result = importManifest(parsed.value);
    if ('form' in result) {
      writingForm = true;
      form.value = result.form;
      writingForm = false;
      suggestedName = '';
      importProblem.value = null;
    } else {
      importProblem.value = result.unsupported;
    }
    return result;
  }

  const readSoon = useDebounceFn((text: string) => {
    // A later edit of the form has replaced the text meanwhile; nothing left to read.
    if (text === yamlText.value) read(text);
  }, options.readDelayMs ?? 300);

  watch(
    yamlText,
    (text) => {
      if (writingYaml) return;
      void readSoon(text);
    },
    { flush: 'sync' },
  );

  /** Replaces the YAML (a pasted or uploaded file) and reads it at once. */
  function loadYaml(text: string): DraftReadResult {
    writingYaml = true;
    yamlText.value = text;
    writingYaml = false;
    return read(text);
  }

  // Keep the suggested name in step with the fault and target until the user names it.
  watch(
    () => [
      form.value.fault.kind,
      'action' in form.value.fault ? form.value.fault.action : '',
      form.value.target.selector,
    ],
    () => {
      if (form.value.name !== suggestedName) return;
      suggestedName = suggestExperimentName(form.value.fault, form.value.target.selector);
      form.value.name = suggestedName;
    },
    { deep: true },
  );

  return { form, yamlText, importProblem, yamlProblems, fitsForm, loadYaml, read };
}
