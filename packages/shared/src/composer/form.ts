import { z } from 'zod';
import { parseGoDuration } from '../runs-duration';
import { labelMapSchema } from '../topology-selector';

/**
 * The experiment composer's form: the subset of Chaos Mesh v1alpha1 experiments a person can
 * compose with fields instead of YAML. {@link buildManifest} turns a form into the custom
 * resource, {@link importManifest} turns a fitting custom resource back into a form.
 */

/** How many of the selected pods a fault reaches (`spec.mode`). */
export const SELECTOR_MODES = ['one', 'all', 'fixed', 'fixed-percent', 'random-max-percent'] as const;
export const selectorModeSchema = z.enum(SELECTOR_MODES);
export type SelectorMode = z.infer<typeof selectorModeSchema>;

/** Modes that need `spec.value`: a pod count for `fixed`, a percentage for the others. */
export const MODES_WITH_VALUE: readonly SelectorMode[] = ['fixed', 'fixed-percent', 'random-max-percent'];

/** The experiment kinds the form can compose; every other chaos-mesh.org kind is YAML only. */
export const FORM_KINDS = [
  'PodChaos',
  'NetworkChaos',
  'StressChaos',
  'IOChaos',
  'HTTPChaos',
  'DNSChaos',
  'TimeChaos',
  'JVMChaos',
] as const;
export type FormKind = (typeof FORM_KINDS)[number];

export function isFormKind(kind: unknown): kind is FormKind {
  return typeof kind === 'string' && (FORM_KINDS as readonly string[]).includes(kind);
}

/**
 * The actions each kind offers in the form. StressChaos has none: its stressors (CPU, memory)
 * are switched on independently. HTTPChaos has no `spec.action`; the form's action says which
 * one of `abort`, `delay`, `replace` and `patch` is set.
 */
export const FORM_ACTIONS = {
  PodChaos: ['pod-kill', 'pod-failure', 'container-kill'],
  NetworkChaos: ['delay', 'loss', 'duplicate', 'corrupt', 'partition', 'bandwidth'],
  StressChaos: [],
  IOChaos: ['latency', 'fault', 'attrOverride'],
  HTTPChaos: ['abort', 'delay', 'replace', 'patch'],
  DNSChaos: ['error', 'random'],
  TimeChaos: [],
  JVMChaos: ['exception', 'latency', 'return', 'stress', 'gc'],
} as const satisfies Record<FormKind, readonly string[]>;

/** Optional text: an empty input means "not set", so it never reaches the manifest as `""`. */
function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === '' || value === null ? undefined : value), schema.optional());
}

/** A positive Go duration as Chaos Mesh parses it: `30s`, `1m30s`, `500ms`. */
export const chaosDurationSchema = z.string().refine((text) => {
  const seconds = parseGoDuration(text);
  return seconds !== null && seconds > 0;
}, 'a duration such as 30s, 5m or 1h30m');

/** A signed Go duration (TimeChaos shifts clocks backwards too): `-10m`, `1h`. */
export const signedDurationSchema = z
  .string()
  .refine((text) => parseGoDuration(text) !== null, 'a duration such as -10m or 1h');

/** A Kubernetes object name (DNS-1123 subdomain). */
export const objectNameSchema = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'lower-case letters, digits, - and .');

/** A percentage as Chaos Mesh's netem fields take it: a string of a number from 0 to 100. */
export const percentTextSchema = z
  .string()
  .regex(/^\d+(\.\d+)?$/, 'a number from 0 to 100')
  .refine((v) => Number(v) <= 100, 'a number from 0 to 100');

const containerNamesSchema = z.array(z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a container name')).min(1);

/**
 * Which pods a fault reaches: a namespace, the labels pods must carry, and how many of them.
 * An empty namespace leaves `selector.namespaces` out (Chaos Mesh then uses the chaos
 * namespace); the experiment's own target must name one, see {@link experimentFormSchema}.
 */
export const podTargetSchema = z
  .object({
    namespace: z.union([z.literal(''), z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/)]),
    selector: labelMapSchema,
    mode: selectorModeSchema,
    value: optional(z.string()),
  })
  .superRefine((target, ctx) => {
    if (!MODES_WITH_VALUE.includes(target.mode)) {
      if (target.value !== undefined)
        ctx.addIssue({ code: 'custom', path: ['value'], message: 'only for fixed modes' });
      return;
    }
    const n = Number(target.value);
    const valid = target.value !== undefined && /^\d+$/.test(target.value) && n >= 1;
    if (!valid || (target.mode !== 'fixed' && n > 100)) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: target.mode === 'fixed' ? 'a pod count' : '1 to 100' });
    }
  });
export type PodTarget = z.infer<typeof podTargetSchema>;

// --- PodChaos ---------------------------------------------------------------------------------

const podKind = { kind: z.literal('PodChaos') };
export const podChaosFaultSchema = z.discriminatedUnion('action', [
  z.object({ ...podKind, action: z.literal('pod-kill'), gracePeriod: optional(z.number().int().min(0)) }),
  z.object({ ...podKind, action: z.literal('pod-failure') }),
  z.object({ ...podKind, action: z.literal('container-kill'), containerNames: containerNamesSchema }),
]);

// --- NetworkChaos -----------------------------------------------------------------------------

export const NETWORK_DIRECTIONS = ['to', 'from', 'both'] as const;
const networkCommon = {
  kind: z.literal('NetworkChaos'),
  direction: optional(z.enum(NETWORK_DIRECTIONS)),
  /** The other side of the traffic (`spec.target`); without it all traffic of the pods is hit. */
  target: optional(podTargetSchema),
};
/** Bandwidth units Chaos Mesh's `tc tbf` rate accepts. */
const bandwidthRateSchema = z
  .string()
  .regex(/^\d+(\.\d+)?(bit|kbit|mbit|gbit|tbit|bps|kbps|mbps|gbps|tbps)$/i, 'e.g. 1mbps');
export const networkChaosFaultSchema = z.discriminatedUnion('action', [
  z.object({
    ...networkCommon,
    action: z.literal('delay'),
    delay: z.object({
      latency: chaosDurationSchema,
      jitter: optional(chaosDurationSchema),
      correlation: optional(percentTextSchema),
    }),
  }),
  z.object({
    ...networkCommon,
    action: z.literal('loss'),
    loss: z.object({ loss: percentTextSchema, correlation: optional(percentTextSchema) }),
  }),
  z.object({
    ...networkCommon,
    action: z.literal('duplicate'),
    duplicate: z.object({ duplicate: percentTextSchema, correlation: optional(percentTextSchema) }),
  }),
  z.object({
    ...networkCommon,
    action: z.literal('corrupt'),
    corrupt: z.object({ corrupt: percentTextSchema, correlation: optional(percentTextSchema) }),
  }),
  z.object({ ...networkCommon, action: z.literal('partition') }),
  z.object({
    ...networkCommon,
    action: z.literal('bandwidth'),
    bandwidth: z.object({
      rate: bandwidthRateSchema,
      limit: z.number().int().min(1),
      buffer: z.number().int().min(1),
      peakrate: optional(z.number().int().min(1)),
      minburst: optional(z.number().int().min(1)),
    }),
  }),
]);

// --- StressChaos ------------------------------------------------------------------------------

const workersSchema = z.number().int().min(1).max(64);
export const stressChaosFaultSchema = z
  .object({
    kind: z.literal('StressChaos'),
    cpu: optional(z.object({ workers: workersSchema, load: optional(z.number().int().min(0).max(100)) })),
    memory: optional(
      z.object({
        workers: workersSchema,
        /** Bytes per worker: `256MB`, `1GiB`, or a share of the memory such as `50%`. */
        size: optional(z.string().regex(/^\d+(\.\d+)?(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB|%)?$/i, 'e.g. 256MB or 50%')),
      }),
    ),
  })
  .refine((fault) => fault.cpu !== undefined || fault.memory !== undefined, {
    message: 'choose a CPU or a memory stressor',
    path: ['cpu'],
  });

// --- IOChaos ----------------------------------------------------------------------------------

/** File attributes an attrOverride may set (integers in the kernel's `stat`). */
export const IO_ATTRIBUTES = ['perm', 'size', 'uid', 'gid', 'nlink'] as const;
/** File-system calls IOChaos can intercept. */
export const IO_METHODS = [
  'lookup',
  'forget',
  'getattr',
  'setattr',
  'readlink',
  'mknod',
  'mkdir',
  'unlink',
  'rmdir',
  'symlink',
  'rename',
  'link',
  'open',
  'read',
  'write',
  'statfs',
  'release',
  'fsync',
  'setxattr',
  'getxattr',
  'listxattr',
  'removexattr',
  'flush',
  'opendir',
  'readdir',
  'releasedir',
  'fsyncdir',
  'access',
  'create',
  'getlk',
  'setlk',
  'bmap',
] as const;
const ioCommon = {
  kind: z.literal('IOChaos'),
  /** Mount point of the volume in the container. */
  volumePath: z.string().regex(/^\//, 'an absolute path'),
  /** Files inside the volume (glob); the whole volume when unset. */
  path: optional(z.string()),
  percent: optional(z.number().int().min(1).max(100)),
  methods: optional(z.array(z.enum(IO_METHODS)).min(1)),
};
const attrValue = optional(z.number().int().min(0));
const ioAttrSchema = z
  .object({ perm: attrValue, size: attrValue, uid: attrValue, gid: attrValue, nlink: attrValue })
  .refine((attr) => Object.values(attr).some((v) => v !== undefined), 'set at least one attribute');
export const ioChaosFaultSchema = z.discriminatedUnion('action', [
  z.object({ ...ioCommon, action: z.literal('latency'), delay: chaosDurationSchema }),
  z.object({ ...ioCommon, action: z.literal('fault'), errno: z.number().int().min(1).max(4095) }),
  z.object({ ...ioCommon, action: z.literal('attrOverride'), attr: ioAttrSchema }),
]);

// --- HTTPChaos --------------------------------------------------------------------------------

export const HTTP_TARGETS = ['Request', 'Response'] as const;
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
const httpCommon = {
  kind: z.literal('HTTPChaos'),
  target: z.enum(HTTP_TARGETS),
  port: z.number().int().min(1).max(65535),
  /** URI path rule; `*` and `/api/*` style wildcards. */
  path: optional(z.string()),
  method: optional(z.enum(HTTP_METHODS)),
};
const jsonTextSchema = z.string().refine((text) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}, 'valid JSON');
export const httpChaosFaultSchema = z.discriminatedUnion('action', [
  z.object({ ...httpCommon, action: z.literal('abort') }),
  z.object({ ...httpCommon, action: z.literal('delay'), delay: chaosDurationSchema }),
  z.object({
    ...httpCommon,
    action: z.literal('replace'),
    replace: z
      .object({
        code: optional(z.number().int().min(100).max(599)),
        /** Chaos Mesh reads the body as base64 bytes. */
        body: optional(z.string()),
        path: optional(z.string()),
        method: optional(z.enum(HTTP_METHODS)),
      })
      .refine((r) => Object.values(r).some((v) => v !== undefined), 'replace at least one part'),
  }),
  z.object({
    ...httpCommon,
    action: z.literal('patch'),
    /** A JSON merge patch (RFC 7396) applied to the body. */
    patch: z.object({ body: z.object({ type: z.literal('JSON'), value: jsonTextSchema }) }),
  }),
]);

// --- DNSChaos, TimeChaos ----------------------------------------------------------------------

export const dnsChaosFaultSchema = z.object({
  kind: z.literal('DNSChaos'),
  action: z.enum(FORM_ACTIONS.DNSChaos),
  /** Domain patterns with `?` and `*`; every domain when unset. */
  patterns: optional(z.array(z.string().min(1)).min(1)),
});

export const CLOCK_IDS = [
  'CLOCK_REALTIME',
  'CLOCK_MONOTONIC',
  'CLOCK_PROCESS_CPUTIME_ID',
  'CLOCK_THREAD_CPUTIME_ID',
  'CLOCK_MONOTONIC_RAW',
  'CLOCK_REALTIME_COARSE',
  'CLOCK_MONOTONIC_COARSE',
  'CLOCK_BOOTTIME',
  'CLOCK_REALTIME_ALARM',
  'CLOCK_BOOTTIME_ALARM',
] as const;
export const timeChaosFaultSchema = z.object({
  kind: z.literal('TimeChaos'),
  timeOffset: signedDurationSchema,
  clockIds: optional(z.array(z.enum(CLOCK_IDS)).min(1)),
});

// --- JVMChaos ---------------------------------------------------------------------------------

const jvmMethod = {
  kind: z.literal('JVMChaos'),
  class: z.string().min(1),
  method: z.string().min(1),
};
export const JVM_MEMORY_TYPES = ['stack', 'heap'] as const;
export const jvmChaosFaultSchema = z.discriminatedUnion('action', [
  z.object({ ...jvmMethod, action: z.literal('exception'), exception: z.string().min(1) }),
  z.object({ ...jvmMethod, action: z.literal('latency'), latency: z.number().int().min(1) }),
  z.object({ ...jvmMethod, action: z.literal('return'), returnValue: z.string().min(1) }),
  z
    .object({
      kind: z.literal('JVMChaos'),
      action: z.literal('stress'),
      cpuCount: optional(z.number().int().min(1)),
      memType: optional(z.enum(JVM_MEMORY_TYPES)),
    })
    .refine((s) => (s.cpuCount === undefined) !== (s.memType === undefined), {
      message: 'either a CPU count or a memory type',
      path: ['cpuCount'],
    }),
  z.object({ kind: z.literal('JVMChaos'), action: z.literal('gc') }),
]);

// --- the form ---------------------------------------------------------------------------------

/** What the experiment does: one kind with its action and parameters. */
export const faultFormSchema = z.discriminatedUnion('kind', [
  podChaosFaultSchema,
  networkChaosFaultSchema,
  stressChaosFaultSchema,
  ioChaosFaultSchema,
  httpChaosFaultSchema,
  dnsChaosFaultSchema,
  timeChaosFaultSchema,
  jvmChaosFaultSchema,
]);
export type FaultForm = z.infer<typeof faultFormSchema>;
export type FaultOf<K extends FormKind> = Extract<FaultForm, { kind: K }>;

/** The whole composer form: the experiment's name, its target pods, how long, and the fault. */
export const experimentFormSchema = z
  .object({
    name: objectNameSchema,
    target: podTargetSchema,
    /** `spec.duration`; unset means until the run is stopped. */
    duration: optional(chaosDurationSchema),
    fault: faultFormSchema,
  })
  .superRefine((form, ctx) => {
    // The run's namespace is the target's; an imported manifest may lack it, the form may not.
    if (form.target.namespace === '') {
      ctx.addIssue({ code: 'custom', path: ['target', 'namespace'], message: 'required' });
    }
  });
export type ExperimentForm = z.infer<typeof experimentFormSchema>;
