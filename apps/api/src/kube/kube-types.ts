/**
 * The shapes of Kubernetes objects as the gateway hands them out: plain JSON exactly as the
 * API server sent it (timestamps stay RFC 3339 strings). Callers narrow `spec`/`status` with
 * their own types or schemas; nothing here is a client-library class.
 */

/** The object metadata chaosgate reads and writes. */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
  [field: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** Any Kubernetes object: `apiVersion`, `kind`, `metadata` and whatever its kind defines. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** One consistent read of a collection: its items and the resourceVersion to watch from. */
export interface KubeList<T extends KubeObject = KubeObject> {
  items: T[];
  resourceVersion: string;
}

/** Event types a watch delivers (the API server's `ERROR` events end the watch instead). */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

/** One change of a watched collection. A `BOOKMARK` carries only `metadata.resourceVersion`. */
export interface WatchEvent<T extends KubeObject = KubeObject> {
  type: WatchEventType;
  object: T;
}

/** The fields of a `meta/v1 Status` the gateway maps to errors. */
export interface KubeStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: { reason?: string; message?: string; field?: string }[];
  };
}
