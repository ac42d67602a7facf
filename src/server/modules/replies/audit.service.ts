/**
 * The managers' audit log as they read it: who changed what shared content, targets and
 * store settings, only the fields that changed, ids given as names.
 */
import type { AuditEntry, AuditPage } from '../../../shared/replies'
import { hasControlCharacters } from '../../../shared/text'
import type { AppContext } from '../../context'
import { iso } from '../../db/sql'
import { ApiError } from '../../http/errors'
import { requireManager } from '../guides/roles'
import { auditChanges } from './audit-changes'
import { AuditRepository } from './audit.repository'

export class AuditService {
  private readonly repo: AuditRepository

  constructor(private readonly ctx: AppContext) {
    this.repo = new AuditRepository(ctx.db)
  }

  async auditLog(userId: string, cursor: string | undefined, limit: number): Promise<AuditPage> {
    await requireManager(this.ctx, userId)
    let before: { at: number; id: string } | undefined
    if (cursor) {
      try {
        const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [number, string]
        // A safe integer and clean text, or PostgreSQL would refuse the query (a 500, not a 400).
        if (!Number.isSafeInteger(at) || at < 0 || typeof id !== 'string' || hasControlCharacters(id))
          throw new Error('bad cursor')
        before = { at, id }
      } catch {
        throw ApiError.badRequest('cursor is not one this API returned')
      }
    }
    const rows = await this.repo.page({ before, limit: limit + 1 })
    const page = rows.slice(0, limit)
    const last = page.at(-1)
    const read = page.map((r) => {
      const b = parseFields(r.before)
      const a = parseFields(r.after)
      return { row: r, before: b, after: a, changes: auditChanges(r.action, b, a) }
    })
    // The log keeps ids; the manager reads names.
    const idsOf = (fields: string[]) =>
      read.flatMap(({ changes }) =>
        changes.filter((c) => fields.includes(c.field)).flatMap((c) => [c.before, c.after].flat().filter(isText)),
      )
    const entityIds = (entity: string) => read.filter(({ row }) => row.entity === entity).map(({ row }) => row.entity_id)
    const targets = entityIds('sales_target').flatMap((id) => {
      const target = parseTargetId(id)
      return target ? [target] : []
    })
    const names = await this.repo.names({
      replies: entityIds('reply'),
      groups: [...entityIds('reply_group'), ...idsOf(['groupId', 'parentId'])],
      templates: entityIds('coupon_template'),
      stores: [...idsOf(['storeIds']), ...entityIds('store'), ...targets.filter((t) => t.scope === 'store').map((t) => t.id)],
      guides: [...targets.filter((t) => t.scope === 'guide').map((t) => t.id), ...entityIds('sessions')],
      campaigns: entityIds('campaign'),
    })
    const named = (map: Map<string, string>, value: unknown): unknown =>
      Array.isArray(value) ? value.map((v) => named(map, v)) : isText(value) ? (map.get(value) ?? value) : value
    return {
      items: read.map(({ row: r, before: b, after: a, changes }): AuditEntry => {
        return {
          id: r.id,
          at: iso(Number(r.at)),
          actor: { userId: r.actor_id, name: r.actor_name ?? r.actor_id },
          entity: r.entity as AuditEntry['entity'],
          entityId: r.entity_id,
          action: r.action as AuditEntry['action'],
          summary: summaryOf(r.entity, r.entity_id, a, b, names),
          changes: changes.map((c) => {
            const map =
              c.field === 'storeIds' ? names.stores : c.field === 'groupId' || c.field === 'parentId' ? names.groups : null
            if (!map) return c
            return {
              field: c.field,
              ...('before' in c ? { before: named(map, c.before) } : {}),
              after: named(map, c.after),
            }
          }),
        }
      }),
      nextCursor:
        rows.length > limit && last ? Buffer.from(JSON.stringify([Number(last.at), last.id])).toString('base64url') : null,
    }
  }
}

/** What an entry is about, by name: the content's own name, else the current one, else its id. */
function summaryOf(
  entity: string,
  entityId: string,
  after: Record<string, unknown>,
  before: Record<string, unknown>,
  names: Record<'replies' | 'groups' | 'templates' | 'stores' | 'guides' | 'campaigns', Map<string, string>>,
): string {
  if (entity === 'sales_target') {
    // "李娜 · 2026-12", "上海静安嘉里中心店 · 2026-12"
    const target = parseTargetId(entityId)
    if (!target) return entityId
    const name = (target.scope === 'guide' ? names.guides : names.stores).get(target.id) ?? target.id
    return `${name} · ${target.month}`
  }
  if (entity === 'store') return names.stores.get(entityId) ?? entityId
  // An admin ended these sessions: whose.
  if (entity === 'sessions') return names.guides.get(entityId) ?? entityId
  const current =
    entity === 'reply'
      ? names.replies
      : entity === 'reply_group'
        ? names.groups
        : entity === 'campaign'
          ? names.campaigns
          : names.templates
  return nameOf(after) ?? current.get(entityId) ?? nameOf(before) ?? ''
}

/** A target's audit id, `guide:lina:2026-12` (the id itself may hold ':'). */
function parseTargetId(entityId: string): { scope: 'store' | 'guide'; id: string; month: string } | null {
  const match = /^(store|guide):(.+):(\d{4}-\d{2})$/.exec(entityId)
  return match ? { scope: match[1] as 'store' | 'guide', id: match[2]!, month: match[3]! } : null
}

function parseFields(json: string | null): Record<string, unknown> {
  return json ? (JSON.parse(json) as Record<string, unknown>) : {}
}

function isText(value: unknown): value is string {
  return typeof value === 'string'
}

/** The title or name an entry's content gives itself, if it carries one. */
function nameOf(fields: Record<string, unknown>): string | undefined {
  const name = fields.title ?? fields.name
  return typeof name === 'string' && name.trim() ? name.trim() : undefined
}
