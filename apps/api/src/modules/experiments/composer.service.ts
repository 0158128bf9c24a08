import {
  CHAOS_API_VERSION,
  type Environment,
  isLabelKey,
  isLabelValue,
  type ManifestIssue,
  type PreviewResponse,
  type User,
  type ValidateResponse,
  type ValidationRules,
  validationRulesSchema,
} from '@chaosgate/shared';
import type { ChaosSchemaValidator } from '../../chaos-schema/schema-validator';
import { AppError } from '../../errors';
import type { KubeAccess } from '../../plugins/kube';
import type { PolicyService } from '../policy/policy.service';
import { checkPodLimit, discoverKinds, dryRun } from './composer-cluster';
import { asObject, type JsonObject } from './manifest-inspect';
import { parseManifestText } from './manifest-parse';
import { evaluatePolicy } from './manifest-policy';
import { type RenderedManifest, renderManifest } from './manifest-render';
import type { PodCache } from './pod-cache';
import { refusedByDns } from './probe-http';

/** A composed experiment as the API receives it. */
export interface ComposeInput {
  environment: string;
  manifest: string;
  rules?: ValidationRules | undefined;
}

/** Everything validation learnt: problems, warnings and, when valid, the rendered manifest. */
export interface ComposeOutcome {
  environment: Environment;
  rules: ValidationRules;
  source: JsonObject | null;
  issues: ManifestIssue[];
  warnings: string[];
  rendered: RenderedManifest | null;
}

export interface ComposerDeps {
  policy: PolicyService;
  kube: KubeAccess;
  schemas: () => Promise<ChaosSchemaValidator>;
  forbiddenNamespaces: readonly string[];
  pods: PodCache;
}

/** Problems of apiVersion and kind; the kinds come from the cluster, else from the pinned CRDs. */
function checkKind(object: JsonObject, kinds: readonly string[]): ManifestIssue[] {
  const issues: ManifestIssue[] = [];
  if (object.apiVersion !== CHAOS_API_VERSION) {
    issues.push({
      path: 'apiVersion',
      code: 'CG_MANIFEST_NOT_CHAOS_KIND',
      message: `apiVersion must be ${CHAOS_API_VERSION}, not ${JSON.stringify(object.apiVersion ?? null)}`,
    });
  }
  if (typeof object.kind !== 'string' || !kinds.includes(object.kind)) {
    issues.push({
      path: 'kind',
      code: 'CG_MANIFEST_NOT_CHAOS_KIND',
      message: `${JSON.stringify(object.kind ?? null)} is not a Chaos Mesh kind (${kinds.join(', ')})`,
    });
  }
  return issues;
}

/** User labels and annotations must be valid Kubernetes keys and (label) values. */
function checkMetadata(object: JsonObject): ManifestIssue[] {
  const meta = asObject(object.metadata);
  if (object.metadata !== undefined && !meta) {
    return [{ path: 'metadata', code: 'CG_MANIFEST_SCHEMA_VIOLATION', message: 'must be a mapping' }];
  }
  const issues: ManifestIssue[] = [];
  for (const field of ['labels', 'annotations'] as const) {
    for (const [key, value] of Object.entries(asObject(meta?.[field]) ?? {})) {
      const path = `metadata.${field}[${JSON.stringify(key)}]`;
      if (!isLabelKey(key)) issues.push({ path, code: 'CG_MANIFEST_SCHEMA_VIOLATION', message: 'not a valid key' });
      else if (typeof value !== 'string')
        issues.push({ path, code: 'CG_MANIFEST_SCHEMA_VIOLATION', message: 'must be a string' });
      else if (field === 'labels' && !isLabelValue(value)) {
        issues.push({ path, code: 'CG_MANIFEST_SCHEMA_VIOLATION', message: 'not a valid label value' });
      }
    }
  }
  return issues;
}

async function checkProbeHosts(rules: ValidationRules, env: Environment): Promise<ManifestIssue[]> {
  const urls = [
    ...rules.http.map((p, i) => [`rules.http[${i}].url`, p.url] as const),
    ...rules.prometheus.map((p, i) => [`rules.prometheus[${i}].url`, p.url ?? ''] as const),
  ];
  const verdicts = await Promise.all(urls.map(([, url]) => refusedByDns(url, env.policy.probeAllowList)));
  return verdicts.flatMap((reason, i) =>
    reason ? [{ path: urls[i]?.[0] ?? 'rules', code: 'CG_POLICY_PROBE_URL_FORBIDDEN' as const, message: reason }] : [],
  );
}

/**
 * The composer's rules: parse safely, check the kind, the CRD schema and the environment's
 * policy (all problems at once, each with its JSON path), render the manifest chaosgate would
 * apply, then ask the cluster (pod count against `maxPods`, server-side dry run).
 */
export function createComposerService(deps: ComposerDeps) {
  async function compose(user: User, input: ComposeInput): Promise<ComposeOutcome> {
    const environment = await deps.policy.getEnvironment(input.environment);
    const rules = input.rules ?? validationRulesSchema.parse({});
    const outcome: ComposeOutcome = { environment, rules, source: null, issues: [], warnings: [], rendered: null };
    const parsed = parseManifestText(input.manifest);
    if (!parsed.ok) return { ...outcome, issues: parsed.issues };
    const source = parsed.object;
    outcome.source = source;
    const gateway = await deps.kube.forEnvironment(environment.name);
    const schemas = await deps.schemas();
    const kinds = (deps.kube.enabled ? await discoverKinds(gateway) : null) ?? schemas.kinds();
    outcome.issues = checkKind(source, kinds);
    if (outcome.issues.length > 0) return outcome;
    const kind = String(source.kind);
    if (!schemas.kinds().includes(kind))
      outcome.warnings.push(`no pinned schema for ${kind}; the cluster validates it`);
    else outcome.issues.push(...schemas.validate(kind, source));
    const policy = evaluatePolicy({
      manifest: source,
      environment,
      forbiddenNamespaces: deps.forbiddenNamespaces,
      rules,
    });
    outcome.issues.push(...checkMetadata(source), ...policy.issues);
    outcome.warnings.push(...policy.warnings);
    if (outcome.issues.length > 0) return outcome;
    outcome.issues.push(...(await checkProbeHosts(rules, environment)));
    const rendered = renderManifest({ manifest: source, environment, submittedBy: user.username });
    outcome.warnings.push(...rendered.warnings);
    if (outcome.issues.length > 0) return outcome;
    outcome.rendered = rendered;
    return withClusterVerdict(outcome, rendered);
  }

  async function withClusterVerdict(outcome: ComposeOutcome, rendered: RenderedManifest): Promise<ComposeOutcome> {
    if (!deps.kube.enabled) {
      outcome.warnings.push('no cluster is configured: pod count and dry run skipped');
      return outcome;
    }
    const gateway = await deps.kube.forEnvironment(outcome.environment.name);
    const [limit, verdict] = await Promise.all([
      checkPodLimit(deps.pods, gateway, rendered.manifest, outcome.environment),
      dryRun(gateway, rendered.manifest),
    ]);
    outcome.issues.push(...limit.issues, ...verdict.issues);
    outcome.warnings.push(...limit.warnings, ...verdict.warnings);
    if (outcome.issues.length > 0) outcome.rendered = null;
    return outcome;
  }

  /** The outcome, or the AppError of its first problem with every problem in `details.errors`. */
  async function composeOrThrow(
    user: User,
    input: ComposeInput,
  ): Promise<ComposeOutcome & { rendered: RenderedManifest }> {
    const outcome = await compose(user, input);
    const first = outcome.issues[0];
    if (first || !outcome.rendered) {
      const code = first?.code ?? 'CG_MANIFEST_SCHEMA_VIOLATION';
      const count = outcome.issues.length;
      throw new AppError(
        code,
        `${first?.path ?? '$'}: ${first?.message ?? 'invalid'}${count > 1 ? ` (and ${count - 1} more)` : ''}`,
        {
          errors: outcome.issues,
        },
      );
    }
    return outcome as ComposeOutcome & { rendered: RenderedManifest };
  }

  return {
    compose,
    composeOrThrow,
    async validate(user: User, input: ComposeInput): Promise<ValidateResponse> {
      const outcome = await compose(user, input);
      return { valid: outcome.issues.length === 0, errors: outcome.issues, warnings: outcome.warnings };
    },
    async preview(user: User, input: ComposeInput): Promise<PreviewResponse> {
      const { rendered, warnings } = await composeOrThrow(user, input);
      return { manifest: rendered.manifest, yaml: rendered.yaml, hash: rendered.hash, warnings };
    },
  };
}

export type ComposerService = ReturnType<typeof createComposerService>;
