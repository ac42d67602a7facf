import type { Kysely } from 'kysely'
import type { Db, Trx } from '../../db'
import type { Database } from '../../db/schema'
import { StoresRepository } from '../stores/stores.repository'

/** The managers' audit log: what shared content changed, by whom, as it was and as asked. */
export class AuditRepository {
  private readonly db: Kysely<Database>

  constructor(database: Db) {
    this.db = database.kysely
  }

  async record(
    trx: Trx,
    entry: {
      id: string
      actorId: string
      entity: string
      entityId: string
      action: string
      before: unknown
      after: unknown
      at: number
    },
  ): Promise<void> {
    await trx
      .insertInto('audit_log')
      .values({
        id: entry.id,
        actor_id: entry.actorId,
        entity: entry.entity,
        entity_id: entry.entityId,
        action: entry.action,
        before: entry.before === undefined ? null : JSON.stringify(entry.before),
        after: entry.after === undefined ? null : JSON.stringify(entry.after),
        at: entry.at,
      })
      .execute()
  }

  /** Names for what audit entries point at: replies, groups, coupon templates, stores, guides, campaigns. */
  async names(ids: {
    replies: string[]
    groups: string[]
    templates: string[]
    stores: string[]
    guides: string[]
    campaigns: string[]
  }) {
    const byId = async (list: string[], read: (list: string[]) => Promise<{ id: string; name: string }[]>) =>
      new Map(list.length ? (await read([...new Set(list)])).map((r) => [r.id, r.name]) : [])
    return {
      replies: await byId(ids.replies, (list) =>
        this.db.selectFrom('replies').select(['id', 'title as name']).where('id', 'in', list).execute(),
      ),
      groups: await byId(ids.groups, (list) =>
        this.db.selectFrom('reply_groups').select(['id', 'name']).where('id', 'in', list).execute(),
      ),
      templates: await byId(ids.templates, (list) =>
        this.db.selectFrom('coupon_templates').select(['id', 'name']).where('id', 'in', list).execute(),
      ),
      stores: await byId(ids.stores, (list) => new StoresRepository(this.db).findMany(list)),
      guides: await byId(ids.guides, (list) =>
        this.db.selectFrom('guides').select(['user_id as id', 'name']).where('user_id', 'in', list).execute(),
      ),
      campaigns: await byId(ids.campaigns, (list) =>
        this.db.selectFrom('campaigns').select(['id', 'name']).where('id', 'in', list).execute(),
      ),
    }
  }

  page(options: { before?: { at: number; id: string }; limit: number }) {
    let q = this.db
      .selectFrom('audit_log as a')
      .leftJoin('guides as g', 'g.user_id', 'a.actor_id')
      .selectAll('a')
      .select('g.name as actor_name')
    const before = options.before
    if (before)
      q = q.where((eb) => eb.or([eb('a.at', '<', before.at), eb.and([eb('a.at', '=', before.at), eb('a.id', '<', before.id)])]))
    return q.orderBy('a.at', 'desc').orderBy('a.id', 'desc').limit(options.limit).execute()
  }
}
