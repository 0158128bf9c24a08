import { z } from 'zod';

/** Chaos objects chaosgate did not create: listed per environment, stoppable by SRE or on-call. */

/** A chaos-mesh.org object in a chaos namespace that chaosgate did not create. */
export const unmanagedChaosObjectSchema = z.object({
  kind: z.string(),
  name: z.string(),
  namespace: z.string(),
  createdAt: z.string().nullable(),
  labels: z.record(z.string(), z.string()),
  /** Set when the object is already being deleted (finalizers pending). */
  deletingSince: z.string().nullable(),
});
export type UnmanagedChaosObject = z.infer<typeof unmanagedChaosObjectSchema>;

export const unmanagedListResponseSchema = z.object({
  environment: z.string(),
  namespace: z.string(),
  items: z.array(unmanagedChaosObjectSchema),
});
export type UnmanagedListResponse = z.infer<typeof unmanagedListResponseSchema>;

export const stopUnmanagedRequestSchema = z.object({
  kind: z.string().min(1).max(63),
  name: z
    .string()
    .min(1)
    .max(253)
    .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'a Kubernetes object name'),
});
export type StopUnmanagedRequest = z.infer<typeof stopUnmanagedRequestSchema>;

export const stopUnmanagedResponseSchema = z.object({
  stopped: z.object({ kind: z.string(), name: z.string(), namespace: z.string() }),
  /** True while finalizers keep the object around after the delete. */
  terminating: z.boolean(),
});
export type StopUnmanagedResponse = z.infer<typeof stopUnmanagedResponseSchema>;
