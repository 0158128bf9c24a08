import type { EdgeProvider, NodeHealth, TopologyNodeKind } from '@chaosgate/shared';

/** How each kind of node is marked: a colour and a short badge. */
export const KIND_STYLE: Record<TopologyNodeKind, { color: string; badge: string }> = {
  Deployment: { color: '#409eff', badge: 'DEP' },
  StatefulSet: { color: '#7c3aed', badge: 'STS' },
  DaemonSet: { color: '#0d9488', badge: 'DS' },
  Service: { color: '#64748b', badge: 'SVC' },
};

export const HEALTH_COLOR: Record<NodeHealth, string> = {
  healthy: '#67c23a',
  degraded: '#e6a23c',
  down: '#f56c6c',
  idle: '#a8abb2',
};

/** How each provider's edges are drawn: colour, dash pattern and width. */
export const PROVIDER_STYLE: Record<EdgeProvider, { color: string; dash?: string; width: number; animated?: boolean }> =
  {
    'service-selector': { color: '#94a3b8', width: 1.5 },
    annotation: { color: '#8b5cf6', dash: '7 4', width: 1.75 },
    'env-reference': { color: '#0ea5e9', dash: '2 4', width: 2 },
    'istio-metrics': { color: '#16a34a', width: 2.5, animated: true },
  };

/** Colour of nodes that running experiments target. */
export const TARGETED_COLOR = '#f56c6c';

/** The i18n key naming each provider (message keys are camelCase). */
export const PROVIDER_LABEL_KEY: Record<EdgeProvider, string> = {
  'service-selector': 'topology.providers.serviceSelector',
  annotation: 'topology.providers.annotation',
  'env-reference': 'topology.providers.envReference',
  'istio-metrics': 'topology.providers.istioMetrics',
};
