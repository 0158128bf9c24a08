import fs from 'node:fs';
import path from 'node:path';
import internals from '@prisma/internals';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, readMigrations } from '../../apps/api/src/db/migrator';
import { migrationsDir } from '../../apps/api/src/db/paths';
import { createEmptyTestDatabase, type TestDatabase } from '../../apps/api/src/testing/test-database';

/**
 * The SQL migrations are written by hand (the schema engine cannot run here), so this suite
 * compares the database they produce with prisma/schema.prisma, field by field.
 */

type DmmfField = {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'enum' | 'object';
  type: string;
  isList: boolean;
  isRequired: boolean;
  hasDefaultValue: boolean;
  isUpdatedAt: boolean;
  nativeType?: [string, string[]] | null;
  default?: unknown;
  relationFromFields?: string[];
};
type DmmfModel = { name: string; dbName: string | null; fields: DmmfField[] };
type DmmfIndex = { model: string; type: 'id' | 'unique' | 'normal' | 'fulltext'; fields: { name: string }[] };
type Dmmf = {
  datamodel: { models: DmmfModel[]; enums: { name: string; values: { name: string }[] }[]; indexes: DmmfIndex[] };
};

interface Column extends Record<string, unknown> {
  table_name: string;
  column_name: string;
  data_type: string;
  udt_name: string;
  is_nullable: 'YES' | 'NO';
  character_maximum_length: number | null;
  datetime_precision: number | null;
  column_default: string | null;
}

let db: TestDatabase;
let dmmf: Dmmf;
let columns: Column[];

beforeAll(async () => {
  const schema = fs.readFileSync(path.resolve(import.meta.dirname, '../../prisma/schema.prisma'), 'utf8');
  dmmf = (await internals.getDMMF({ datamodel: schema })) as unknown as Dmmf;
  db = await createEmptyTestDatabase();
  await migrate(db.database.sql, await readMigrations(migrationsDir()));
  columns = await db.database.sql.query<Column>(
    `SELECT table_name, column_name, data_type, udt_name, is_nullable, character_maximum_length,
            datetime_precision, column_default
       FROM information_schema.columns WHERE table_schema = 'public'`,
  );
});
afterAll(async () => {
  await db?.drop();
});

const tableOf = (m: DmmfModel) => m.dbName ?? m.name;
const columnOf = (f: DmmfField) => f.dbName ?? f.name;
const scalarFields = (m: DmmfModel) => m.fields.filter((f) => f.kind !== 'object');

/** The information_schema description Prisma's migrate would produce for a field. */
function expectedType(f: DmmfField): { udt: string; length?: number; precision?: number } {
  if (f.kind === 'enum') return { udt: f.isList ? `_${f.type}` : f.type };
  const [native, args] = f.nativeType ?? [undefined, []];
  const arg = args[0] === undefined ? undefined : Number(args[0]);
  const base = ((): { udt: string; length?: number; precision?: number } => {
    switch (f.type) {
      case 'String':
        if (native === 'Uuid') return { udt: 'uuid' };
        if (native === 'VarChar') return { udt: 'varchar', ...(arg === undefined ? {} : { length: arg }) };
        if (native === 'Char') return { udt: 'bpchar', ...(arg === undefined ? {} : { length: arg }) };
        return { udt: 'text' };
      case 'Int':
        return { udt: 'int4' };
      case 'BigInt':
        return { udt: 'int8' };
      case 'Boolean':
        return { udt: 'bool' };
      case 'Json':
        return { udt: 'jsonb' };
      case 'DateTime':
        return { udt: native === 'Timestamptz' ? 'timestamptz' : 'timestamp', precision: arg ?? 3 };
      default:
        throw new Error(`no mapping for Prisma type ${f.type}`);
    }
  })();
  return f.isList ? { udt: `_${base.udt}` } : base;
}

describe('migrations match prisma/schema.prisma', () => {
  it('creates exactly the tables of the schema', () => {
    const tables = new Set(columns.map((c) => c.table_name));
    tables.delete('_prisma_migrations');
    expect([...tables].sort()).toEqual(dmmf.datamodel.models.map(tableOf).sort());
  });

  it('gives every table exactly the columns of its model', () => {
    for (const model of dmmf.datamodel.models) {
      const actual = columns.filter((c) => c.table_name === tableOf(model)).map((c) => c.column_name);
      expect(actual.sort(), model.name).toEqual(scalarFields(model).map(columnOf).sort());
    }
  });

  it('gives every column the type, length, precision and nullability of its field', () => {
    for (const model of dmmf.datamodel.models) {
      for (const field of scalarFields(model)) {
        const column = columns.find((c) => c.table_name === tableOf(model) && c.column_name === columnOf(field));
        const where = `${model.name}.${field.name}`;
        const want = expectedType(field);
        expect(column?.udt_name, where).toBe(want.udt);
        if (want.length !== undefined) expect(column?.character_maximum_length, where).toBe(want.length);
        if (want.precision !== undefined) expect(column?.datetime_precision, where).toBe(want.precision);
        // Prisma leaves list columns nullable and every other optional field too.
        const nullable = field.isList || !field.isRequired;
        expect(column?.is_nullable, where).toBe(nullable ? 'YES' : 'NO');
      }
    }
  });

  it('gives a database default to exactly the fields whose default the database computes', () => {
    for (const model of dmmf.datamodel.models) {
      for (const field of scalarFields(model)) {
        const column = columns.find((c) => c.table_name === tableOf(model) && c.column_name === columnOf(field));
        const clientSide =
          typeof field.default === 'object' &&
          field.default !== null &&
          ['uuid', 'cuid'].includes((field.default as { name?: string }).name ?? '');
        const wantsDbDefault = field.hasDefaultValue && !clientSide && !field.isUpdatedAt;
        const hasDbDefault = column?.column_default != null;
        // @updatedAt fields may also carry @default(now()), which Prisma writes as a DB default.
        if (field.isUpdatedAt && field.hasDefaultValue) continue;
        expect(hasDbDefault, `${model.name}.${field.name}`).toBe(wantsDbDefault);
      }
    }
  });

  it('creates every enum with the same values in the same order', async () => {
    for (const e of dmmf.datamodel.enums) {
      const rows = await db.database.sql.query<{ enumlabel: string }>(
        `SELECT e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid
          WHERE t.typname = $1 ORDER BY e.enumsortorder`,
        [e.name],
      );
      expect(
        rows.map((r) => r.enumlabel),
        e.name,
      ).toEqual(e.values.map((v) => v.name));
    }
  });

  it('creates the primary keys, unique and plain indexes of the schema and no others', async () => {
    const rows = await db.database.sql.query<{ table: string; unique: boolean; primary: boolean; cols: string[] }>(
      `SELECT t.relname AS table, i.indisunique AS unique, i.indisprimary AS primary,
              array_agg(a.attname::text ORDER BY k.ord) AS cols
         FROM pg_index i
         JOIN pg_class t ON t.oid = i.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
         CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
        WHERE t.relname <> '_prisma_migrations'
        GROUP BY t.relname, i.indexrelid, i.indisunique, i.indisprimary`,
    );
    const describe = (table: string, kind: string, cols: string[]) => `${table}:${kind}:${cols.join(',')}`;
    const actual = rows.map((r) => describe(r.table, r.primary ? 'id' : r.unique ? 'unique' : 'normal', r.cols)).sort();
    const expected = dmmf.datamodel.indexes
      .map((idx) => {
        const model = dmmf.datamodel.models.find((m) => m.name === idx.model) as DmmfModel;
        const cols = idx.fields.map((f) => columnOf(model.fields.find((mf) => mf.name === f.name) as DmmfField));
        return describe(tableOf(model), idx.type, cols);
      })
      .sort();
    expect(actual).toEqual(expected);
  });

  it('creates a foreign key for every relation', async () => {
    const rows = await db.database.sql.query<{ table: string; cols: string[] }>(
      `SELECT t.relname AS table,
              array(SELECT a.attname::text FROM unnest(c.conkey) k JOIN pg_attribute a
                     ON a.attrelid = c.conrelid AND a.attnum = k) AS cols
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
        WHERE c.contype = 'f'`,
    );
    const actual = rows.map((r) => `${r.table}:${r.cols.join(',')}`).sort();
    const expected = dmmf.datamodel.models
      .flatMap((m) =>
        m.fields
          .filter((f) => f.kind === 'object' && (f.relationFromFields?.length ?? 0) > 0)
          .map(
            (f) =>
              `${tableOf(m)}:${(f.relationFromFields ?? []).map((n) => columnOf(m.fields.find((x) => x.name === n) as DmmfField)).join(',')}`,
          ),
      )
      .sort();
    expect(actual).toEqual(expected);
  });
});
