import { AppError } from '../errors';
import type { KubeTransport } from './transport';

/** What an access review asks about: a verb on a resource (`group` '' is core) in a namespace ('' = cluster-wide). */
export interface ResourceAttributes {
  verb: string;
  group?: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

/** The authorizer's answer. */
export interface AccessDecision {
  allowed: boolean;
  /** Explicitly denied (as opposed to "no rule allows it"). */
  denied: boolean;
  reason?: string;
}

/** Who a `SubjectAccessReview` is about. */
export interface Subject {
  user: string;
  groups?: string[];
}

export interface ServerVersion {
  major: string;
  minor: string;
  gitVersion: string;
  platform: string;
}

/** Questions about identity and access, plus the server's health and version. */
export interface AccessApi {
  /** May the gateway's own identity do this? */
  selfSubjectAccessReview(attributes: ResourceAttributes): Promise<AccessDecision>;
  /** May `subject` do this? (needs permission to create `subjectaccessreviews`) */
  subjectAccessReview(subject: Subject, attributes: ResourceAttributes): Promise<AccessDecision>;
  /** Mints a bound token for a ServiceAccount (TokenRequest). */
  requestServiceAccountToken(
    namespace: string,
    name: string,
    options?: { expirationSeconds?: number; audiences?: string[] },
  ): Promise<string>;
  version(): Promise<ServerVersion>;
  /** Resolves when the server's `/readyz` answers `ok` within `timeoutMs`; throws `CG_KUBE_UNAVAILABLE` otherwise. */
  ping(timeoutMs?: number): Promise<void>;
}

interface ReviewStatus {
  status?: { allowed?: boolean; denied?: boolean; reason?: string };
}

const toDecision = (review: ReviewStatus): AccessDecision => ({
  allowed: review.status?.allowed === true,
  denied: review.status?.denied === true,
  ...(review.status?.reason ? { reason: review.status.reason } : {}),
});

const toResourceAttributes = (a: ResourceAttributes) => ({
  verb: a.verb,
  group: a.group ?? '',
  resource: a.resource,
  ...(a.subresource ? { subresource: a.subresource } : {}),
  ...(a.namespace ? { namespace: a.namespace } : {}),
  ...(a.name ? { name: a.name } : {}),
});

const describe = (a: ResourceAttributes) =>
  `${a.verb} ${a.group ? `${a.group}/` : ''}${a.resource}${a.namespace ? ` in ${a.namespace}` : ' cluster-wide'}`;

export function createAccessApi(transport: KubeTransport): AccessApi {
  return {
    async selfSubjectAccessReview(attributes) {
      const review = await transport.json<ReviewStatus>({
        method: 'POST',
        path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
        body: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectAccessReview',
          spec: { resourceAttributes: toResourceAttributes(attributes) },
        },
        what: `review access: ${describe(attributes)}`,
      });
      return toDecision(review);
    },

    async subjectAccessReview(subject, attributes) {
      const review = await transport.json<ReviewStatus>({
        method: 'POST',
        path: '/apis/authorization.k8s.io/v1/subjectaccessreviews',
        body: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SubjectAccessReview',
          spec: {
            user: subject.user,
            ...(subject.groups ? { groups: subject.groups } : {}),
            resourceAttributes: toResourceAttributes(attributes),
          },
        },
        what: `review access of ${subject.user}: ${describe(attributes)}`,
      });
      return toDecision(review);
    },

    async requestServiceAccountToken(namespace, name, options = {}) {
      const answer = await transport.json<{ status?: { token?: string } }>({
        method: 'POST',
        path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/serviceaccounts/${encodeURIComponent(name)}/token`,
        body: {
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'TokenRequest',
          spec: {
            expirationSeconds: options.expirationSeconds ?? 3600,
            ...(options.audiences ? { audiences: options.audiences } : {}),
          },
        },
        what: `request a token for ServiceAccount ${namespace}/${name}`,
      });
      const token = answer.status?.token;
      if (!token)
        throw new AppError('CG_KUBE_UNAVAILABLE', `no token in the answer for ServiceAccount ${namespace}/${name}`);
      return token;
    },

    version: () => transport.json<ServerVersion>({ method: 'GET', path: '/version', what: 'read the server version' }),

    async ping(timeoutMs = 2000) {
      await transport.text({ method: 'GET', path: '/readyz', timeoutMs, what: 'check the API server' });
    },
  };
}
