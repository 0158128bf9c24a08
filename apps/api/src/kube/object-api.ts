import { AppError } from '../errors';
import type { Discovery } from './discovery';
import type { KubeList, KubeObject } from './kube-types';
import { apiVersionOf, describeObject, type ResourceRef, resourcePath } from './resource-refs';
import type { KubeTransport } from './transport';

/** The field manager of every write chaosgate makes (visible in `managedFields`). */
export const FIELD_MANAGER = 'chaosgate';

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size; every page is fetched (default 500). */
  pageSize?: number;
}

export interface WriteOptions {
  /** Validate and admit on the server (`dryRun=All`) without persisting anything. */
  dryRun?: boolean;
}

export interface ApplyOptions extends WriteOptions {
  /** Take over fields other managers own; only when the caller decided to. */
  force?: boolean;
}

export interface DeleteOptions extends WriteOptions {
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  gracePeriodSeconds?: number;
}

/** What a delete left behind: `terminating` when finalizers still hold the object. */
export interface DeleteResult {
  terminating: boolean;
  object?: KubeObject;
}

/** Create, read, update and delete any kind, addressed by `ResourceRef` or by the object's own apiVersion/kind. */
export interface ObjectApi {
  list<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    namespace: string | null,
    options?: ListOptions,
  ): Promise<KubeList<T>>;
  get<T extends KubeObject = KubeObject>(ref: ResourceRef, namespace: string | null, name: string): Promise<T>;
  apply<T extends KubeObject = KubeObject>(object: KubeObject, options?: ApplyOptions): Promise<T>;
  create<T extends KubeObject = KubeObject>(object: KubeObject, options?: WriteOptions): Promise<T>;
  patch<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    namespace: string | null,
    name: string,
    mergePatch: Record<string, unknown>,
    options?: WriteOptions,
  ): Promise<T>;
  delete(ref: ResourceRef, namespace: string | null, name: string, options?: DeleteOptions): Promise<DeleteResult>;
}

const invalid = (message: string, path: string) =>
  new AppError('CG_KUBE_INVALID', message, { reason: 'Invalid', issues: [{ path, message }] });

const dryRunQuery = (options?: WriteOptions) => (options?.dryRun ? 'All' : undefined);

/** Fills `apiVersion`/`kind`, which list items of built-in kinds leave out. */
function withTypeMeta<T extends KubeObject>(ref: ResourceRef, item: T): T {
  return item.apiVersion && item.kind ? item : { ...item, apiVersion: apiVersionOf(ref), kind: ref.kind };
}

export function createObjectApi(transport: KubeTransport, discovery: Discovery): ObjectApi {
  /** The ref, namespace and name of an object a caller wants written. */
  async function locate(object: KubeObject, needName: boolean) {
    if (!object.apiVersion || !object.kind) throw invalid('the object needs apiVersion and kind', 'kind');
    const ref = await discovery.resolve(object.apiVersion, object.kind);
    const { name, namespace, generateName } = object.metadata ?? {};
    if (needName ? !name : !name && !generateName) throw invalid('the object needs metadata.name', 'metadata.name');
    if (ref.namespaced && !namespace) throw invalid('the object needs metadata.namespace', 'metadata.namespace');
    return { ref, namespace: ref.namespaced ? (namespace ?? null) : null, name };
  }

  return {
    async list<T extends KubeObject>(ref: ResourceRef, namespace: string | null, options: ListOptions = {}) {
      const items: T[] = [];
      let resourceVersion = '';
      let continueToken: string | undefined;
      do {
        const page = await transport.json<{ items?: T[]; metadata?: { resourceVersion?: string; continue?: string } }>({
          method: 'GET',
          path: resourcePath(ref, namespace),
          query: {
            labelSelector: options.labelSelector,
            fieldSelector: options.fieldSelector,
            limit: options.pageSize ?? 500,
            continue: continueToken,
          },
          what: `list ${describeObject(ref, namespace)}`,
        });
        for (const item of page.items ?? []) items.push(withTypeMeta(ref, item));
        // Every page belongs to the snapshot of the first one.
        resourceVersion ||= page.metadata?.resourceVersion ?? '';
        continueToken = page.metadata?.continue || undefined;
      } while (continueToken);
      return { items, resourceVersion };
    },

    async get<T extends KubeObject>(ref: ResourceRef, namespace: string | null, name: string) {
      const object = await transport.json<T>({
        method: 'GET',
        path: resourcePath(ref, namespace, name),
        what: `get ${describeObject(ref, namespace, name)}`,
      });
      return withTypeMeta(ref, object);
    },

    async apply<T extends KubeObject>(object: KubeObject, options: ApplyOptions = {}) {
      const { ref, namespace, name } = await locate(object, true);
      return transport.json<T>({
        method: 'PATCH',
        path: resourcePath(ref, namespace, name),
        query: { fieldManager: FIELD_MANAGER, force: options.force ? true : undefined, dryRun: dryRunQuery(options) },
        body: object,
        contentType: 'application/apply-patch+yaml',
        what: `apply ${describeObject(ref, namespace, name)}`,
      });
    },

    async create<T extends KubeObject>(object: KubeObject, options: WriteOptions = {}) {
      const { ref, namespace, name } = await locate(object, false);
      return transport.json<T>({
        method: 'POST',
        path: resourcePath(ref, namespace),
        query: { fieldManager: FIELD_MANAGER, dryRun: dryRunQuery(options) },
        body: object,
        what: `create ${describeObject(ref, namespace, name ?? object.metadata.generateName)}`,
      });
    },

    async patch<T extends KubeObject>(
      ref: ResourceRef,
      namespace: string | null,
      name: string,
      mergePatch: Record<string, unknown>,
      options: WriteOptions = {},
    ) {
      return transport.json<T>({
        method: 'PATCH',
        path: resourcePath(ref, namespace, name),
        query: { fieldManager: FIELD_MANAGER, dryRun: dryRunQuery(options) },
        body: mergePatch,
        contentType: 'application/merge-patch+json',
        what: `patch ${describeObject(ref, namespace, name)}`,
      });
    },

    async delete(ref: ResourceRef, namespace: string | null, name: string, options: DeleteOptions = {}) {
      const answer = await transport.json<KubeObject | { kind: 'Status' }>({
        method: 'DELETE',
        path: resourcePath(ref, namespace, name),
        query: { dryRun: dryRunQuery(options) },
        body: {
          kind: 'DeleteOptions',
          apiVersion: 'v1',
          ...(options.propagationPolicy ? { propagationPolicy: options.propagationPolicy } : {}),
          ...(options.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: options.gracePeriodSeconds } : {}),
          ...(options.dryRun ? { dryRun: ['All'] } : {}),
        },
        what: `delete ${describeObject(ref, namespace, name)}`,
      });
      if (answer.kind === 'Status' || !('metadata' in answer)) return { terminating: false };
      const object = answer as KubeObject;
      const terminating = Boolean(object.metadata.deletionTimestamp) && (object.metadata.finalizers?.length ?? 0) > 0;
      return { terminating, object };
    },
  };
}
