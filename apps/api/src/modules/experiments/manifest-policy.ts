import {
  type Environment,
  type ErrorCode,
  formatGoDuration,
  type ManifestIssue,
  parseGoDuration,
  type ValidationRules,
} from '@chaosgate/shared';
import { formatJsonPath, type PathSegment } from '../../chaos-schema/json-path';
import {
  asObject,
  type EmbeddedSpec,
  inspectManifest,
  type JsonObject,
  type ManifestShape,
  type SelectorAt,
  selectorsOf,
} from './manifest-inspect';
import { matchAllowList } from './probe-url';

/** Kinds Chaos Mesh creates for itself; a person never submits them. */
const INTERNAL_KINDS = new Set([
  'PodHttpChaos',
  'PodIOChaos',
  'PodNetworkChaos',
  'WorkflowNode',
  'PhysicalMachine',
  'RemoteCluster',
]);
/** Kinds whose targets live outside any namespace, so no environment can scope them. */
const UNSCOPED_KINDS = new Set(['AWSChaos', 'AzureChaos', 'GCPChaos', 'PhysicalMachineChaos']);
/** Kinds that check rather than inject, and so have no pod selector. */
const CHECK_KINDS = new Set(['StatusCheck']);
/** Selector fields that narrow the targets; a selector without any of them reaches every pod. */
const NARROWING = ['labelSelectors', 'expressionSelectors', 'pods', 'fieldSelectors', 'annotationSelectors'];

export interface PolicyInput {
  manifest: JsonObject;
  environment: Environment;
  forbiddenNamespaces: readonly string[];
  rules: ValidationRules;
}

export interface PolicyVerdict {
  issues: ManifestIssue[];
  warnings: string[];
}

type Report = (path: PathSegment[] | string, code: ErrorCode, message: string) => void;

/**
 * The environment's policy over a schema-valid manifest and its rules, every violation with its
 * path: allowed kinds, maximum duration, non-empty selectors inside the environment's target
 * namespaces (never a forbidden one), no remote clusters, no Workflow tasks, and probe and
 * status-check URLs on the allow-list. The pod count and the cluster's own verdict come later.
 */
export function evaluatePolicy(input: PolicyInput): PolicyVerdict {
  const verdict: PolicyVerdict = { issues: [], warnings: [] };
  const report: Report = (path, code, message) =>
    verdict.issues.push({ path: typeof path === 'string' ? path : formatJsonPath(path), code, message });
  const shape = inspectManifest(input.manifest);
  checkKind(String(input.manifest.kind), ['kind'], input.environment, report);
  for (const embedded of shape.specs) checkSpec(embedded, input, report);
  checkTemplates(shape, input.environment, report);
  checkRules(input.rules, input.environment, report);
  if (shape.specs.length === 0) report(['spec'], 'CG_POLICY_SELECTOR_EMPTY', 'the manifest holds no chaos to run');
  if (runLimitSeconds(input.manifest, shape) === null) {
    verdict.warnings.push(
      `no duration: chaosgate stops the run after the environment's maximum of ${formatGoDuration(input.environment.policy.maxDurationSeconds)}`,
    );
  }
  return verdict;
}

function checkKind(kind: string, path: PathSegment[], env: Environment, report: Report): void {
  if (INTERNAL_KINDS.has(kind)) {
    report(path, 'CG_POLICY_KIND_FORBIDDEN', `${kind} is created by Chaos Mesh itself, not submitted`);
  } else if (UNSCOPED_KINDS.has(kind)) {
    report(
      path,
      'CG_POLICY_KIND_FORBIDDEN',
      `${kind} targets resources outside any namespace; chaosgate cannot scope it`,
    );
  } else if (env.policy.allowedKinds.length > 0 && !env.policy.allowedKinds.includes(kind)) {
    report(
      path,
      'CG_POLICY_KIND_FORBIDDEN',
      `${kind} is not allowed in ${env.name} (allowed: ${env.policy.allowedKinds.join(', ')})`,
    );
  }
}

function checkSpec(embedded: EmbeddedSpec, input: PolicyInput, report: Report): void {
  const { spec, path, kind } = embedded;
  if (path.length > 1) checkKind(kind, path, input.environment, report);
  if (spec.remoteCluster !== undefined && spec.remoteCluster !== '') {
    report(
      [...path, 'remoteCluster'],
      'CG_POLICY_NAMESPACE_OUTSIDE_ENV',
      "remoteCluster reaches outside the environment's cluster",
    );
  }
  checkDuration(spec.duration, [...path, 'duration'], input.environment, report);
  if (CHECK_KINDS.has(kind)) {
    checkStatusCheckUrl(spec, path, input.environment, report);
    return;
  }
  if (UNSCOPED_KINDS.has(kind) || INTERNAL_KINDS.has(kind)) return;
  const selectors = selectorsOf(embedded);
  if (!selectors.some((s) => s.path.length === path.length + 1)) {
    report([...path, 'selector'], 'CG_POLICY_SELECTOR_EMPTY', 'a selector is required');
  }
  for (const at of selectors) checkSelector(at, input, report);
}

function checkSelector(at: SelectorAt, input: PolicyInput, report: Report): void {
  const { selector, path } = at;
  const narrows = NARROWING.some((field) => {
    const value = selector[field];
    return Array.isArray(value) ? value.length > 0 : Object.keys(asObject(value) ?? {}).length > 0;
  });
  if (!narrows) {
    report(
      path,
      'CG_POLICY_SELECTOR_EMPTY',
      `the selector must narrow the targets with one of: ${NARROWING.join(', ')}`,
    );
  }
  const namespaces = Array.isArray(selector.namespaces) ? selector.namespaces : [];
  for (const [i, ns] of namespaces.entries()) checkNamespace(ns, [...path, 'namespaces', i], input, report);
  for (const ns of Object.keys(asObject(selector.pods) ?? {})) checkNamespace(ns, [...path, 'pods', ns], input, report);
}

function checkNamespace(ns: unknown, path: PathSegment[], input: PolicyInput, report: Report): void {
  const name = String(ns);
  if (input.forbiddenNamespaces.includes(name)) {
    report(path, 'CG_POLICY_NAMESPACE_FORBIDDEN', `namespace ${name} may never be a target`);
  } else if (!input.environment.targetNamespaces.includes(name)) {
    report(
      path,
      'CG_POLICY_NAMESPACE_OUTSIDE_ENV',
      `namespace ${name} is not a target namespace of ${input.environment.name} (${input.environment.targetNamespaces.join(', ')})`,
    );
  }
}

function checkDuration(value: unknown, path: PathSegment[], env: Environment, report: Report): void {
  if (value === undefined || value === null) return;
  const seconds = parseGoDuration(String(value));
  if (seconds === null || seconds <= 0) {
    report(
      path,
      'CG_MANIFEST_SCHEMA_VIOLATION',
      `"${String(value)}" is not a positive Go duration (e.g. 30s, 5m, 1h30m)`,
    );
  } else if (seconds > env.policy.maxDurationSeconds) {
    report(
      path,
      'CG_POLICY_LIMIT_EXCEEDED',
      `${String(value)} is longer than the maximum of ${formatGoDuration(env.policy.maxDurationSeconds)} in ${env.name}`,
    );
  }
}

function checkStatusCheckUrl(spec: JsonObject, path: PathSegment[], env: Environment, report: Report): void {
  const url = asObject(spec.http)?.url;
  if (typeof url !== 'string') return;
  const verdict = matchAllowList(url, env.policy.probeAllowList);
  if (!verdict.allowed) report([...path, 'http', 'url'], 'CG_POLICY_PROBE_URL_FORBIDDEN', `${url}: ${verdict.reason}`);
}

function checkTemplates(shape: ManifestShape, env: Environment, report: Report): void {
  for (const { path, template } of shape.templates) {
    if (template.templateType === 'Task' || template.task !== undefined) {
      report(
        [...path, 'task'],
        'CG_POLICY_KIND_FORBIDDEN',
        'Workflow Task templates run arbitrary containers; not allowed',
      );
    }
    checkDuration(template.deadline, [...path, 'deadline'], env, report);
    const abortCheck = asObject(template.abortWithStatusCheck);
    if (abortCheck) checkStatusCheckUrl(abortCheck, [...path, 'abortWithStatusCheck'], env, report);
  }
}

function checkRules(rules: ValidationRules, env: Environment, report: Report): void {
  rules.http.forEach((probe, i) => {
    const verdict = matchAllowList(probe.url, env.policy.probeAllowList);
    if (!verdict.allowed) {
      report(`rules.http[${i}].url`, 'CG_POLICY_PROBE_URL_FORBIDDEN', `${probe.url}: ${verdict.reason}`);
    }
  });
  rules.prometheus.forEach((probe, i) => {
    if (!probe.url) {
      report(`rules.prometheus[${i}].url`, 'CG_POLICY_PROBE_URL_FORBIDDEN', 'name the Prometheus URL to query');
      return;
    }
    const verdict = matchAllowList(probe.url, env.policy.probeAllowList);
    if (!verdict.allowed) {
      report(`rules.prometheus[${i}].url`, 'CG_POLICY_PROBE_URL_FORBIDDEN', `${probe.url}: ${verdict.reason}`);
    }
  });
  const names = [...rules.http, ...rules.prometheus].map((p) => p.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) report('rules', 'CG_VALIDATION_FAILED', `probe name ${duplicate} is used twice`);
}

/**
 * How long the run lasts by its own definition, in seconds: `spec.duration` of a chaos object or
 * status check, the entry template's deadline of a Workflow; null when it runs until stopped
 * (Schedules, chaos without a duration). One-shot actions count as 0 (Chaos Mesh ignores
 * their duration).
 */
export function runLimitSeconds(manifest: JsonObject, shape: ManifestShape = inspectManifest(manifest)): number | null {
  const spec = asObject(manifest.spec) ?? {};
  if (manifest.kind === 'Schedule') return null;
  if (manifest.kind === 'Workflow') {
    const entry = shape.templates.find((t) => t.template.name === spec.entry)?.template.deadline;
    return typeof entry === 'string' ? parseGoDuration(entry) : null;
  }
  if (isOneShot(String(manifest.kind), spec.action)) return 0;
  return typeof spec.duration === 'string' ? parseGoDuration(spec.duration) : null;
}

/** Chaos Mesh's one-shot actions: applied once, then they stay "injected" until deleted. */
export function isOneShot(kind: string, action: unknown): boolean {
  return kind === 'PodChaos' && (action === 'pod-kill' || action === 'container-kill');
}
