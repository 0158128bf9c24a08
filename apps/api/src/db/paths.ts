import path from 'node:path';

/** The repository's `prisma/migrations`, overridable for packaged installs. */
export function migrationsDir(): string {
  return process.env.CHAOSGATE_MIGRATIONS_DIR ?? path.resolve(import.meta.dirname, '../../../../prisma/migrations');
}
