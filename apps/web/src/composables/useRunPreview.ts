import {
  type ComposeRequest,
  type ManifestIssue,
  manifestIssueSchema,
  type PreviewResponse,
  type RunDto,
  type ValidateResponse,
} from '@chaosgate/shared';
import { watchDebounced } from '@vueuse/core';
import { computed, type MaybeRefOrGetter, onScopeDispose, ref, shallowRef, toValue } from 'vue';
import { z } from 'zod';
import { isApiError } from '../api/api-error';
import { type RunsApi, runsApi } from '../api/runs';

/** A preview the server rendered, and the request it was rendered for. */
export interface RunPreview {
  /** Identity of the request (environment, manifest text, rules) the preview belongs to. */
  key: string;
  /** The manifest text the user had written, for the diff against the server's. */
  written: string;
  response: PreviewResponse;
}

const issuesDetailsSchema = z.object({ errors: z.array(manifestIssueSchema) });

/** The manifest problems a 4xx carries in `details.errors`, if any. */
export function issuesOfError(error: unknown): ManifestIssue[] {
  if (!isApiError(error)) return [];
  const parsed = issuesDetailsSchema.safeParse(error.details);
  return parsed.success ? parsed.data.errors : [];
}

export interface UseRunPreviewOptions {
  api?: Pick<RunsApi, 'validate' | 'preview' | 'create'>;
  /** Quiet time after the last change before the server checks the experiment. */
  validateDelayMs?: number;
}

/**
 * Server-side checks of an experiment being composed: live validation while it is edited, the
 * preview (the exact manifest and its SHA-256) and the submit that must carry that hash. A
 * preview belongs to the exact request it was made for; any edit makes it stale, and submit
 * is only possible with a current one.
 */
export function useRunPreview(request: MaybeRefOrGetter<ComposeRequest>, options: UseRunPreviewOptions = {}) {
  const api = options.api ?? runsApi;
  const requestKey = computed(() => JSON.stringify(toValue(request)));

  const validation = shallowRef<ValidateResponse | null>(null);
  const validating = ref(false);
  const preview = shallowRef<RunPreview | null>(null);
  const previewing = ref(false);
  const submitting = ref(false);
  /** The last failure of preview or submit (an ApiError), for the page to explain. */
  const failure = shallowRef<unknown>(null);
  let validateController: AbortController | null = null;

  const isPreviewCurrent = computed(() => preview.value?.key === requestKey.value);

  /** Problems to show: the failed preview's or submit's when current, else live validation's. */
  const issues = computed<ManifestIssue[]>(() => {
    const fromFailure = issuesOfError(failure.value);
    return fromFailure.length > 0 ? fromFailure : (validation.value?.errors ?? []);
  });

  async function validate(): Promise<void> {
    const body = toValue(request);
    validateController?.abort();
    if (!body.environment || body.manifest.trim() === '') {
      validation.value = null;
      return;
    }
    const controller = new AbortController();
    validateController = controller;
    validating.value = true;
    try {
      const result = await api.validate(body, controller.signal);
      if (!controller.signal.aborted) validation.value = result;
    } catch {
      // Live validation is a convenience; preview reports the same problems as an error.
      if (!controller.signal.aborted) validation.value = null;
    } finally {
      if (validateController === controller) validating.value = false;
    }
  }

  watchDebounced(
    requestKey,
    () => {
      failure.value = null;
      void validate();
    },
    { debounce: options.validateDelayMs ?? 400, immediate: true },
  );

  async function runPreview(): Promise<RunPreview | null> {
    const body = toValue(request);
    const key = requestKey.value;
    previewing.value = true;
    failure.value = null;
    try {
      const response = await api.preview(body);
      const made = { key, written: body.manifest, response };
      preview.value = made;
      return made;
    } catch (error) {
      failure.value = error;
      preview.value = null;
      return null;
    } finally {
      previewing.value = false;
    }
  }

  /** Submits with the current preview's hash; null (and `failure` set) when refused. */
  async function submit(): Promise<RunDto | null> {
    const current = preview.value;
    if (!current || !isPreviewCurrent.value) return null;
    submitting.value = true;
    failure.value = null;
    try {
      return await api.create({ ...toValue(request), previewHash: current.response.hash });
    } catch (error) {
      failure.value = error;
      // The server's manifest moved on (policy, labels): the preview shown is no longer it.
      if (isApiError(error, 'CG_PREVIEW_HASH_STALE') || isApiError(error, 'CG_PREVIEW_HASH_REQUIRED')) {
        preview.value = null;
      }
      return null;
    } finally {
      submitting.value = false;
    }
  }

  onScopeDispose(() => validateController?.abort());

  return {
    validation,
    validating,
    preview,
    previewing,
    submitting,
    failure,
    issues,
    isPreviewCurrent,
    validate,
    runPreview,
    submit,
  };
}
