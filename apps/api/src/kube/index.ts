/**
 * The Kubernetes gateway: the only code in chaosgate that talks to a cluster. Everything else
 * imports from here and never from `@kubernetes/client-node`.
 */
export type { AccessDecision, ResourceAttributes, ServerVersion, Subject } from './access-api';
export { createDisabledGateway } from './disabled-gateway';
export type { DiscoveredKind } from './discovery';
export { createKubeGateway, type GatewayInformerOptions, type KubeGateway, type KubeGatewayOptions } from './gateway';
export {
  createInformer,
  type Informer,
  type InformerChange,
  type InformerOptions,
  type ListWatch,
} from './informer';
export { type ClusterEndpoint, type KubeSource, tokenSource } from './kube-config';
export type { KubeList, KubeObject, KubeStatus, ObjectMeta, WatchEvent, WatchEventType } from './kube-types';
export {
  type ApplyOptions,
  type DeleteOptions,
  type DeleteResult,
  FIELD_MANAGER,
  type ListOptions,
  type WriteOptions,
} from './object-api';
export { createKubeRegistry, type KubeReadiness, type KubeRegistry, type KubeSetting } from './registry';
export {
  APPS_REFS,
  apiVersionOf,
  CHAOS_MESH_GROUP,
  CORE_REFS,
  parseApiVersion,
  type ResourceRef,
  resourcePath,
} from './resource-refs';
export type { StopWatch, WatchEnd, WatchOptions } from './watch';
export {
  applyWatchEvent,
  emptyStore,
  isStaleResourceVersion,
  type ObjectStore,
  objectKey,
  storeFromList,
} from './watch-reducer';
