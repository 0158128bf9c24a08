import type { ComposeRequest, PreviewResponse } from '@chaosgate/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { effectScope, ref } from 'vue';
import { ApiError } from '../api/api-error';
import { issuesOfError, useRunPreview } from './useRunPreview';

const preview: PreviewResponse = {
  manifest: { kind: 'PodChaos' },
  yaml: 'kind: PodChaos\n',
  hash: 'b'.repeat(64),
  warnings: [],
};

function fakeApi() {
  return {
    validate: vi.fn(async () => ({ valid: true, errors: [], warnings: [] })),
    preview: vi.fn(async () => preview),
    create: vi.fn(async (body: unknown) => ({ id: 'run-1', body })),
  };
}

function start(api = fakeApi()) {
  const request = ref<ComposeRequest>({ environment: 'dev', manifest: 'kind: PodChaos\n' });
  const scope = effectScope();
  const state = scope.run(() => useRunPreview(request, { api: api as never, validateDelayMs: 10 }));
  if (!state) throw new Error('no state');
  return { scope, state, request, api };
}

describe('useRunPreview', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('validates the experiment as it changes', async () => {
    const { state, request, api, scope } = start();
    await vi.advanceTimersByTimeAsync(20);
    expect(api.validate).toHaveBeenCalledTimes(1);
    request.value = { ...request.value, manifest: 'kind: NetworkChaos\n' };
    await vi.advanceTimersByTimeAsync(20);
    expect(api.validate).toHaveBeenCalledTimes(2);
    expect(state.validation.value?.valid).toBe(true);
    scope.stop();
  });

  it('submits with the hash of a current preview, and not after an edit', async () => {
    const { state, request, api, scope } = start();
    expect(await state.submit()).toBeNull();
    await state.runPreview();
    expect(state.isPreviewCurrent.value).toBe(true);
    expect(state.preview.value?.written).toBe('kind: PodChaos\n');

    request.value = { ...request.value, manifest: 'kind: PodChaos\nspec: {}\n' };
    expect(state.isPreviewCurrent.value).toBe(false);
    expect(await state.submit()).toBeNull();
    expect(api.create).not.toHaveBeenCalled();

    await state.runPreview();
    await state.submit();
    expect(api.create).toHaveBeenCalledWith({ ...request.value, previewHash: preview.hash });
    scope.stop();
  });

  it('forgets the preview when the server says its hash is stale', async () => {
    const api = fakeApi();
    api.create.mockRejectedValue(new ApiError(409, 'CG_PREVIEW_HASH_STALE', 'stale'));
    const { state, scope } = start(api);
    await state.runPreview();
    expect(await state.submit()).toBeNull();
    expect(state.preview.value).toBeNull();
    expect(state.failure.value).toMatchObject({ code: 'CG_PREVIEW_HASH_STALE' });
    scope.stop();
  });

  it('shows the problems a refused preview lists in its details', async () => {
    const api = fakeApi();
    const errors = [
      { path: 'spec.selector.namespaces[0]', message: 'forbidden', code: 'CG_POLICY_NAMESPACE_FORBIDDEN' },
    ];
    api.preview.mockRejectedValue(new ApiError(403, 'CG_POLICY_NAMESPACE_FORBIDDEN', 'forbidden', { errors }));
    const { state, scope } = start(api);
    expect(await state.runPreview()).toBeNull();
    expect(state.issues.value).toEqual(errors);
    scope.stop();
  });
});

describe('issuesOfError', () => {
  it('reads details.errors of an ApiError and nothing else', () => {
    expect(issuesOfError(new Error('x'))).toEqual([]);
    expect(issuesOfError(new ApiError(400, 'CG_VALIDATION_FAILED', 'bad', { errors: 'no' }))).toEqual([]);
  });
});
