import {
  apiErrorBodySchema,
  environmentParamsSchema,
  selectorPreviewRequestSchema,
  selectorPreviewResponseSchema,
  topologyQuerySchema,
  topologySchema,
  topologyStreamQuerySchema,
} from '@chaosgate/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppConfig } from '../../config';
import { createPolicyRepository } from '../policy/policy.repo';
import { openEventStream } from './event-stream';
import { annotationProvider } from './providers/annotation.provider';
import { envReferenceProvider } from './providers/env-reference.provider';
import { createIstioMetricsProvider } from './providers/istio-metrics.provider';
import { serviceSelectorProvider } from './providers/service-selector.provider';
import { createTopologyService } from './topology.service';
import { createTopologyFeeds } from './topology-feeds';
import { topologyJson } from './topology-json';

const TOPOLOGY_DESCRIPTION = [
  'Nodes: the Deployments, StatefulSets, DaemonSets and Services of `namespace` (default: the first target',
  'namespace), from a watch-backed cache. `selector` is what an experiment on the node selects pods with.',
  'Edges, each named by its provider: `service-selector` (Service → workload whose pod-template labels contain',
  'the Service selector); `annotation` (`chaosgate.dev/depends-on: "payment,inventory,other-ns/auth"` on a',
  'workload or Service; a name means the Service of that name, else the workload); `env-reference` (Service',
  'DNS names `svc`, `svc.ns`, `svc.ns.svc[.cluster.local]` in pod-template env values, args and commands;',
  'a bare word only under an address-like variable name such as `*_HOST`, `*_URL`, `*_ADDR`); `istio-metrics`',
  "(request rates from the environment's Prometheus, when configured). A failing provider is a warning.",
].join(' ');

const errors = {
  400: apiErrorBodySchema,
  401: apiErrorBodySchema,
  403: apiErrorBodySchema,
  404: apiErrorBodySchema,
  503: apiErrorBodySchema,
};

/** Service map of an environment (`/api/envs/:env/topology`), its live stream and the blast-radius preview. */
const topologyRoutes: FastifyPluginAsyncZod<{ config: AppConfig }> = async (app, opts) => {
  const feeds = createTopologyFeeds({
    gatewayFor: (environment) => app.kube.forEnvironment(environment),
    providers: [serviceSelectorProvider, annotationProvider, envReferenceProvider, createIstioMetricsProvider()],
  });
  app.addHook('onClose', () => feeds.close());
  const topology = createTopologyService({
    environments: createPolicyRepository(app.db.prisma),
    feeds,
    forbiddenNamespaces: opts.config.forbiddenNamespaces,
  });

  app.get(
    '/api/envs/:env/topology',
    {
      preHandler: app.authenticate,
      schema: {
        tags: ['topology'],
        summary: 'Service map of a namespace: workloads, Services and the edges each provider found',
        description: TOPOLOGY_DESCRIPTION,
        params: environmentParamsSchema,
        querystring: topologyQuerySchema,
        response: { 200: topologySchema, ...errors },
      },
    },
    async (request, reply) => {
      const map = await topology.getTopology(request.params.env, request.query.namespace);
      return reply
        .type('application/json; charset=utf-8')
        .serializer((payload) => topologyJson(payload as typeof map))
        .send(map);
    },
  );

  app.get(
    '/api/envs/:env/topology/stream',
    {
      preHandler: app.authenticate,
      schema: {
        tags: ['topology'],
        summary: 'Server-sent events: a `snapshot` of the map, then a `patch` per change',
        description:
          'text/event-stream. `event: snapshot` carries a Topology, `event: patch` a TopologyPatch from the ' +
          'previous revision; each event id is the revision. With `since` (or Last-Event-ID) equal to the ' +
          'current revision the snapshot is skipped. `: ping` comments every 15 s.',
        params: environmentParamsSchema,
        querystring: topologyStreamQuerySchema,
        response: { 200: z.string().describe('text/event-stream'), ...errors },
      },
    },
    async (request, reply) => {
      const feed = await topology.openFeed(request.params.env, request.query.namespace);
      const current = await feed.current();
      const lastEventId = request.headers['last-event-id'];
      const since = request.query.since ?? (typeof lastEventId === 'string' ? lastEventId : undefined);
      const stream = openEventStream(request, reply);
      if (since !== current.revision) stream.sendJson('snapshot', topologyJson(current), current.revision);
      // Subscribed in the same tick as the read above: the first patch starts at that revision.
      const unsubscribe = feed.subscribe((patch) => stream.send('patch', patch, patch.revision));
      stream.onClose(unsubscribe);
      return reply;
    },
  );

  app.post(
    '/api/envs/:env/selector/preview',
    {
      preHandler: app.authenticate,
      schema: {
        tags: ['topology'],
        summary: 'Blast radius: the pods a label selector matches in a namespace (needs the CSRF header)',
        description:
          'POST (with the CSRF header) rather than GET: a label selector with expressions does not fit a query ' +
          'string well. Matched against the watch-backed pod cache; at most 200 pods are listed, `total` counts all.',
        params: environmentParamsSchema,
        body: selectorPreviewRequestSchema,
        response: { 200: selectorPreviewResponseSchema, ...errors, 422: apiErrorBodySchema },
      },
    },
    async (request) => topology.previewSelector(request.params.env, request.body),
  );
};

export default topologyRoutes;
