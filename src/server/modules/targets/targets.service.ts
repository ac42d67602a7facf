/**
 * Monthly sales targets as a manager sets them: her stores' and their guides', for one
 * month at a time (China's calendar). A save is all or nothing: every item is checked to
 * be hers before anything is written, and each target that changes leaves one audit
 * entry (entity 'sales_target', id `guide:lina:2026-12`) with its amount before and after.
 */
import { randomUUID } from 'node:crypto'
import { shanghaiDate } from '../../../shared/dates'
import type { Targets, TargetsQuery, TargetsUpdate } from '../../../shared/team'
import type { AppContext } from '../../context'
import { writeTransaction } from '../../db/dialect'
import { ApiError } from '../../http/errors'
import { GuidesRepository } from '../guides/guides.repository'
import { requireGuideInScope, requireStoreInScope, requireTeamScope, storesAskedFor } from '../guides/roles'
import { AuditRepository } from '../replies/audit.repository'
import { monthOf } from '../stats/periods'
import { StoresRepository } from '../stores/stores.repository'
import { TargetsRepository } from './targets.repository'

export class TargetsService {
  private readonly repo: TargetsRepository
  private readonly stores: StoresRepository
  private readonly guides: GuidesRepository
  private readonly audit: AuditRepository

  constructor(private readonly ctx: AppContext) {
    this.repo = new TargetsRepository(ctx.db)
    this.stores = new StoresRepository(ctx.db)
    this.guides = new GuidesRepository(ctx.db)
    this.audit = new AuditRepository(ctx.db)
  }

  /** Every store she looks after (or the one asked for) with its target and each of its people's. */
  async targets(userId: string, query: TargetsQuery): Promise<Targets> {
    const scope = await requireTeamScope(this.ctx, userId)
    const month = query.month ?? monthOf(shanghaiDate(this.ctx.now()))
    if (query.storeId !== undefined && !(await this.stores.find(query.storeId))) throw ApiError.notFound('No such store')
    const asked = storesAskedFor(scope, query.storeId)
    const stores = asked === null ? await this.stores.list() : await this.stores.findMany([...asked])
    stores.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    const people = await this.guides.team(new Set(stores.map((s) => s.id)))
    const [storeTargets, guideTargets] = await Promise.all([
      this.repo.amounts(
        'store',
        stores.map((s) => s.id),
        month,
      ),
      this.repo.amounts(
        'guide',
        people.map((p) => p.user_id),
        month,
      ),
    ])
    return {
      month,
      stores: stores.map((store) => ({
        storeId: store.id,
        name: store.name,
        amountFen: storeTargets.get(store.id) ?? null,
        guides: people
          .filter((p) => p.store_id === store.id)
          .map((p) => ({ userId: p.user_id, name: p.name, amountFen: guideTargets.get(p.user_id) ?? null })),
      })),
    }
  }

  /** Set (or, with null, clear) the month's targets given; answers the month's targets. */
  async update(userId: string, input: TargetsUpdate): Promise<Targets> {
    const scope = await requireTeamScope(this.ctx, userId)
    const seen = new Set<string>()
    for (const item of input.items) {
      const key = `${item.scope}:${item.id}`
      if (seen.has(key)) throw ApiError.badRequest(`items name the ${item.scope} ${item.id} twice`)
      seen.add(key)
    }
    // Every item is checked before anything is written: one that is not hers refuses the whole save.
    for (const item of input.items) {
      if (item.scope === 'guide') {
        await requireGuideInScope(this.ctx, scope, item.id)
        continue
      }
      if (!(await this.stores.find(item.id))) throw ApiError.notFound(`No store ${item.id}`)
      requireStoreInScope(scope, item.id)
    }
    const { month } = input
    await writeTransaction(this.ctx.db, async (trx) => {
      await this.repo.lockMonth(trx, month)
      const [stores, guides] = await Promise.all(
        (['store', 'guide'] as const).map((s) =>
          this.repo.amounts(
            s,
            input.items.filter((i) => i.scope === s).map((i) => i.id),
            month,
            trx,
          ),
        ),
      )
      const at = this.ctx.now()
      for (const item of input.items) {
        const before = (item.scope === 'store' ? stores : guides)!.get(item.id) ?? null
        if (before === item.amountFen) continue
        const target = { scope: item.scope, id: item.id, month }
        if (item.amountFen === null) await this.repo.clear(trx, target)
        else await this.repo.set(trx, { ...target, amountFen: item.amountFen, by: userId, at })
        await this.audit.record(trx, {
          id: randomUUID(),
          actorId: userId,
          entity: 'sales_target',
          entityId: `${item.scope}:${item.id}:${month}`,
          action: 'update',
          before: { amountFen: before },
          after: { amountFen: item.amountFen },
          at,
        })
      }
    })
    return this.targets(userId, { month })
  }
}
