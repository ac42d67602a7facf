/**
 * The mark a database carries of what it was first used for: 'demo' (the simulator seeded
 * its demo, with public till keys and a demo manager) or 'real' (a WeCom deployment).
 * Startup reads it to keep the two apart (src/server/startup.ts).
 */
import type { Kysely } from 'kysely'
import type { Db } from '.'
import type { Database, DeploymentTable } from './schema'

export type DeploymentKind = DeploymentTable['kind']

export async function deploymentKind(db: Kysely<Database>): Promise<DeploymentKind | null> {
  const row = await db.selectFrom('deployment').select('kind').where('id', '=', 1).executeTakeFirst()
  return row?.kind ?? null
}

/**
 * Mark the database unless it is marked already, and say what it is now: the first mark
 * wins, so two instances starting at once on an empty database agree on one answer.
 */
export async function markDeployment(db: Kysely<Database>, kind: DeploymentKind, now: number): Promise<DeploymentKind> {
  await db
    .insertInto('deployment')
    .values({ id: 1, kind, marked_at: now })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute()
  return (await deploymentKind(db)) ?? kind
}

/** Tables that hold a brand's own data, whoever wrote it (WeCom sync, CRM import, guides, managers). */
const DATA_TABLES = [
  'stores',
  'guides',
  'members',
  'products',
  'wecom_customers',
  'reply_groups',
  'coupon_templates',
  'bundles',
] as const satisfies readonly (keyof Database)[]

/** True when any of the brand's data is here: not a database to seed a demo into. */
export async function holdsData(db: Db): Promise<boolean> {
  for (const table of DATA_TABLES) {
    const row = await db.kysely
      .selectFrom(table)
      .select((eb) => eb.lit(1).as('one'))
      .limit(1)
      .executeTakeFirst()
    if (row) return true
  }
  return false
}
