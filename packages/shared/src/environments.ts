import { z } from 'zod';
import { roleSchema } from './auth';

/** DNS-1123 label, the form of every Kubernetes namespace name. */
export const namespaceNameSchema = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label');

export const environmentNameSchema = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and dashes');

/** Namespaces no experiment may ever touch, whatever an environment's policy says. */
export const DEFAULT_FORBIDDEN_NAMESPACES = ['default', 'kube-system', 'monitoring'] as const;

export const approvalModeSchema = z.enum(['none', 'one_sre', 'four_eyes']);
export type ApprovalMode = z.infer<typeof approvalModeSchema>;

export const environmentPolicySchema = z.object({
  submitRoles: z.array(roleSchema).min(1),
  approval: approvalModeSchema,
  executeRoles: z.array(roleSchema).min(1),
  /** Whether the submitter may execute their own run even without an execute role. */
  submitterMayExecute: z.boolean(),
  maxDurationSeconds: z.number().int().positive(),
  maxPods: z.number().int().positive(),
  /** chaos-mesh.org kinds this environment accepts; empty means all. */
  allowedKinds: z.array(z.string()),
  /** URL prefixes that validation-rule probes may reach. */
  probeAllowList: z.array(z.string()),
});
export type EnvironmentPolicy = z.infer<typeof environmentPolicySchema>;

export const environmentSchema = z.object({
  name: environmentNameSchema,
  displayName: z.string(),
  chaosNamespace: namespaceNameSchema,
  targetNamespaces: z.array(namespaceNameSchema),
  policy: environmentPolicySchema,
  updatedAt: z.string(),
  version: z.number().int(),
});
export type Environment = z.infer<typeof environmentSchema>;

export const environmentListResponseSchema = z.object({ environments: z.array(environmentSchema) });
export type EnvironmentListResponse = z.infer<typeof environmentListResponseSchema>;

export const environmentParamsSchema = z.object({ env: environmentNameSchema });
