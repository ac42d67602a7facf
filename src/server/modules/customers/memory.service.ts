/**
 * Writes to a customer's memory: facts, WeCom remark and tags, personal tags, notes and
 * follow-ups, binding to a member. Each checks first that the guide follows the
 * customer, writes atomically, leaves an event for the timeline, and answers with the
 * profile as it now is.
 */
import { randomUUID } from 'node:crypto'
import { MEMBER_LEVELS, type CustomerProfile, type CustomerTag, type MemberLevel } from '../../../shared/customer'
import type {
  FactsPatch,
  MemberCandidate,
  Note,
  NoteCreate,
  PersonalTagsChange,
  RemarkPatch,
  TagsChange,
  TimelinePage,
  TimelineQuery,
} from '../../../shared/memory'
import { maskPhone } from '../../../shared/memory'
import { isBirthday, isCalendarDate, shanghaiDate } from '../../../shared/dates'
import type { AppContext } from '../../context'
import { isUniqueViolation, parseJsonArray } from '../../db/sql'
import { ApiError } from '../../http/errors'
import { WecomBusyError, WecomError, WecomUnavailableError } from '../../wecom/errors'
import { StoresRepository } from '../stores/stores.repository'
import { TasksService } from '../tasks/tasks.service'
import { CorpTags } from './corp-tags.service'
import { refreshSearchKeys } from './customers.repository'
import type { CustomersService } from './customers.service'
import { phoneOf } from './facts'
import { MembersRepository } from './members.repository'
import { display, toNote } from './memory.mapper'
import { FACT_COLUMNS, MemoryRepository, type FactColumn } from './memory.repository'
import { TimelineRepository } from './timeline.repository'

const LIST_FIELDS = new Set(['stylePreferences', 'colorsLiked', 'colorsAvoided', 'materialsAvoided'])
const MAX_PERSONAL_TAGS = 30

export class MemoryService {
  private readonly repo: MemoryRepository
  private readonly members: MembersRepository
  private readonly stores: StoresRepository
  private readonly timelines: TimelineRepository
  readonly corpTags: CorpTags

  constructor(
    private readonly ctx: AppContext,
    private readonly customers: CustomersService,
    private readonly tasks: TasksService = new TasksService(ctx),
  ) {
    this.repo = new MemoryRepository(ctx.db)
    this.members = new MembersRepository(ctx.db)
    this.stores = new StoresRepository(ctx.db)
    this.timelines = new TimelineRepository(ctx.db)
    this.corpTags = new CorpTags(ctx)
  }

  private event(externalUserId: string, kind: string, actorId: string, payload: Record<string, unknown>) {
    return { id: randomUUID(), externalUserId, kind, actorId, occurredAt: this.ctx.now(), payload }
  }

  // --- Facts -------------------------------------------------------------------------------

  async patchFacts(userId: string, externalUserId: string, patch: FactsPatch): Promise<CustomerProfile> {
    const before = await this.customers.getProfile(userId, externalUserId)
    const store = patch.preferredStoreId ? await this.stores.find(patch.preferredStoreId) : undefined
    if (patch.preferredStoreId && !store) throw ApiError.badRequest(`preferredStoreId: no store ${patch.preferredStoreId}`)
    if (patch.birthday && !isBirthday(patch.birthday))
      throw ApiError.badRequest(`birthday: ${patch.birthday} is not a day of the year`)
    const values: Partial<Record<FactColumn, string>> = {}
    const changes: { field: string; from: string; to: string }[] = []
    for (const [field, raw] of Object.entries(patch) as [keyof FactsPatch, unknown][]) {
      if (raw === undefined) continue
      const column = FACT_COLUMNS[field]
      if (LIST_FIELDS.has(field)) {
        const list = [...new Set((raw as string[]).map((s) => s.trim()).filter(Boolean))]
        values[column] = JSON.stringify(list)
        changes.push({ field, from: display(before, field), to: list.join('、') })
      } else {
        const value = raw === null ? '' : String(raw).trim()
        values[column] = value
        const shown = field === 'phone' && value ? maskPhone(value) : field === 'preferredStoreId' && store ? store.name : value
        changes.push({ field, from: display(before, field), to: shown })
      }
    }
    const real = changes.filter((c) => c.from !== c.to || c.field === 'phone')
    const now = this.ctx.now()
    await this.repo.transaction(async (trx) => {
      await this.repo.saveFacts(trx, externalUserId, values, now)
      for (const change of real) await this.repo.insertEvent(trx, this.event(externalUserId, 'fact_changed', userId, change))
      // Her guides find her by the last digits of her phone.
      if (patch.phone !== undefined) await refreshSearchKeys(trx, [externalUserId])
    })
    return this.customers.getProfile(userId, externalUserId)
  }

  /** The number behind the mask; every reveal is kept (who looked, when). */
  async revealPhone(userId: string, externalUserId: string): Promise<{ phone: string }> {
    await this.customers.assertFollower(userId, externalUserId)
    const own = await this.repo.ownFacts(externalUserId)
    const member = await this.members.of(externalUserId)
    const phone = phoneOf({ own_phone: own?.phone ?? null, phone: member?.phone ?? null })
    if (!phone) throw ApiError.notFound('No phone number is recorded for this customer')
    await this.repo.transaction((trx) => this.repo.insertEvent(trx, this.event(externalUserId, 'phone_revealed', userId, {})))
    return { phone }
  }

  // --- WeCom remark and corporate tags --------------------------------------------------------

  async patchRemark(userId: string, externalUserId: string, patch: RemarkPatch): Promise<CustomerProfile> {
    const before = await this.customers.getProfile(userId, externalUserId)
    const remark = patch.remark?.trim()
    const description = patch.description?.trim()
    await this.wecomWrite('the remark', () => this.ctx.wecom.remark({ userId, externalUserId, remark, description }))
    const now = this.ctx.now()
    await this.repo.transaction(async (trx) => {
      await this.repo.updateFollow(
        trx,
        externalUserId,
        userId,
        { ...(remark !== undefined ? { remark } : {}), ...(description !== undefined ? { description } : {}) },
        now,
      )
      if (remark !== undefined && remark !== before.follow.remark) {
        await refreshSearchKeys(trx, [externalUserId])
        await this.repo.insertEvent(
          trx,
          this.event(externalUserId, 'remark_changed', userId, { field: 'remark', from: before.follow.remark, to: remark }),
        )
      }
      if (description !== undefined && description !== before.follow.description) {
        await this.repo.insertEvent(
          trx,
          this.event(externalUserId, 'remark_changed', userId, {
            field: 'description',
            from: before.follow.description,
            to: description,
          }),
        )
      }
    })
    return this.customers.getProfile(userId, externalUserId)
  }

  async changeTags(userId: string, externalUserId: string, change: TagsChange): Promise<CustomerProfile> {
    const before = await this.customers.getProfile(userId, externalUserId)
    const requested = [...new Set([...(change.add ?? []), ...(change.remove ?? [])])]
    const { known, unknown } = await this.corpTags.resolve(requested)
    if (unknown.length) throw ApiError.badRequest(`unknown tag ids: ${unknown.join(', ')}`)
    const has = new Set(before.follow.tags.filter((t) => t.type === 'corp' && t.tagId).map((t) => t.tagId!))
    const add = [...new Set(change.add ?? [])].filter((id) => !has.has(id))
    const remove = [...new Set(change.remove ?? [])].filter((id) => has.has(id) && !add.includes(id))
    if (add.length === 0 && remove.length === 0) return before
    await this.wecomWrite('the tags', () => this.ctx.wecom.markTag({ userId, externalUserId, add, remove }))
    const now = this.ctx.now()
    await this.repo.transaction(async (trx) => {
      const follow = await this.repo.lockFollow(trx, externalUserId, userId)
      const tags = parseJsonArray<CustomerTag>(follow?.tags).filter(
        (t) => !(t.type === 'corp' && t.tagId && (remove.includes(t.tagId) || add.includes(t.tagId))),
      )
      for (const id of add) {
        const tag = known.get(id)!
        tags.push({ groupName: tag.groupName, name: tag.name, type: 'corp', tagId: id, source: 'wecom' })
      }
      await this.repo.updateFollow(trx, externalUserId, userId, { tags: JSON.stringify(tags) }, now)
      await this.repo.insertEvent(
        trx,
        this.event(externalUserId, 'tags_changed', userId, {
          added: add.map((id) => known.get(id)!.name),
          removed: remove.map((id) => known.get(id)!.name),
        }),
      )
    })
    return this.customers.getProfile(userId, externalUserId)
  }

  async changePersonalTags(userId: string, externalUserId: string, change: PersonalTagsChange): Promise<CustomerProfile> {
    const before = await this.customers.getProfile(userId, externalUserId)
    const mine = new Set(before.follow.tags.filter((t) => t.source === 'guide').map((t) => t.name))
    const add = [...new Set((change.add ?? []).map((n) => n.trim()).filter(Boolean))].filter((n) => !mine.has(n))
    const remove = [...new Set((change.remove ?? []).map((n) => n.trim()))].filter((n) => mine.has(n) && !add.includes(n))
    if (mine.size + add.length - remove.length > MAX_PERSONAL_TAGS) {
      throw ApiError.badRequest(`a customer can have at most ${MAX_PERSONAL_TAGS} personal tags`)
    }
    if (add.length === 0 && remove.length === 0) return before
    const now = this.ctx.now()
    await this.repo.transaction(async (trx) => {
      await this.repo.addPersonalTags(trx, externalUserId, userId, add, now)
      await this.repo.removePersonalTags(trx, externalUserId, userId, remove)
      await this.repo.touch(trx, externalUserId, now)
      await this.repo.insertEvent(
        trx,
        this.event(externalUserId, 'personal_tags_changed', userId, { added: add, removed: remove }),
      )
    })
    return this.customers.getProfile(userId, externalUserId)
  }

  /**
   * WeCom refused or could not be reached: nothing is saved and the guide is told why,
   * in words, so the app can roll back what it showed.
   */
  private async wecomWrite(what: string, write: () => Promise<unknown>): Promise<void> {
    try {
      await write()
    } catch (error) {
      // WeCom asked us to wait: the error handler answers 503 with Retry-After.
      if (error instanceof WecomBusyError) throw error
      if (error instanceof WecomError) {
        throw new ApiError(502, 'wecom_error', `WeCom refused to change ${what} (errcode ${error.errcode}: ${error.errmsg})`)
      }
      if (error instanceof WecomUnavailableError) {
        throw new ApiError(503, 'wecom_unavailable', `WeCom did not answer, ${what} was not changed; try again`)
      }
      throw error
    }
  }

  // --- Notes and timeline -----------------------------------------------------------------------

  /** Idempotent on the client's id: the same note sent twice is one note. */
  async addNote(userId: string, externalUserId: string, input: NoteCreate): Promise<{ note: Note; created: boolean }> {
    await this.customers.assertFollower(userId, externalUserId)
    const text = input.text.trim()
    const existing = await this.repo.findNote(input.id)
    if (existing) {
      if (existing.external_user_id !== externalUserId || existing.author_id !== userId || existing.text !== text) {
        throw new ApiError(409, 'conflict', 'A different note was already saved with this id')
      }
      return { note: toNote(existing), created: false }
    }
    const now = this.ctx.now()
    const nextFollowUp = input.nextFollowUp ?? null
    // After the retry check: a note saved yesterday and sent again today is still the same note.
    if (nextFollowUp) checkFollowUpDate(nextFollowUp, now)
    try {
      await this.repo.transaction(async (trx) => {
        await this.repo.insertNote(trx, {
          id: input.id,
          externalUserId,
          authorId: userId,
          text,
          nextFollowUp,
          outcome: input.outcome ?? null,
          createdAt: now,
        })
        if (nextFollowUp) {
          await this.tasks.addFollowUp(trx, {
            noteId: input.id,
            guideId: userId,
            externalUserId,
            dueDate: nextFollowUp,
            text,
            now,
          })
        }
      })
    } catch (error) {
      // Two copies of one note racing: the other one won; answer with it.
      const raced = await this.repo.findNote(input.id)
      if (raced && raced.text === text && raced.external_user_id === externalUserId && raced.author_id === userId)
        return { note: toNote(raced), created: false }
      if (raced || isUniqueViolation(error))
        throw new ApiError(409, 'conflict', 'A different note was already saved with this id')
      throw error
    }
    const saved = await this.repo.findNote(input.id)
    return { note: toNote(saved!), created: true }
  }

  async timeline(userId: string, externalUserId: string, query: TimelineQuery): Promise<TimelinePage> {
    await this.customers.assertFollower(userId, externalUserId)
    const member = await this.members.of(externalUserId)
    return this.timelines.read({
      viewerId: userId,
      externalUserId,
      memberId: member?.id ?? null,
      kind: query.kind,
      cursor: query.cursor,
      limit: query.limit ?? 20,
      now: this.ctx.now(),
    })
  }

  // --- Binding to a member ------------------------------------------------------------------------

  /**
   * Members with this phone, for the guide to confirm one. A member already bound to another
   * customer is not shown at all (her name, level and store are not this guide's to read),
   * and every lookup is kept in member_lookups; the route limits how often a guide may ask.
   */
  async memberCandidates(userId: string, externalUserId: string, phone: string): Promise<MemberCandidate[]> {
    await this.customers.assertFollower(userId, externalUserId)
    const rows = await this.members.byPhone(phone)
    const free = rows.filter((r) => r.external_user_id === null || r.external_user_id === externalUserId)
    await this.members.recordLookup({
      id: randomUUID(),
      guideId: userId,
      externalUserId,
      phoneMasked: maskPhone(phone),
      shown: free.map((r) => r.id),
      hidden: rows.length - free.length,
      at: this.ctx.now(),
    })
    return free.map((r) => ({
      memberId: r.id,
      name: r.name,
      phoneMasked: maskPhone(r.phone ?? ''),
      level: (MEMBER_LEVELS as readonly string[]).includes(r.level) ? (r.level as MemberLevel) : 'normal',
      storeName: r.store_name,
      boundElsewhere: false,
    }))
  }

  /**
   * Bind after the guide confirmed: the phone she typed must be the member's, the member
   * must be free, and the customer must not have a member already.
   */
  async bindMember(userId: string, externalUserId: string, memberId: string, phone: string): Promise<CustomerProfile> {
    await this.customers.assertFollower(userId, externalUserId)
    const member = await this.members.find(memberId)
    if (!member || member.phone !== phone) throw ApiError.notFound('No member with this id and phone number')
    if (member.external_user_id === externalUserId) return this.customers.getProfile(userId, externalUserId)
    const current = await this.members.of(externalUserId)
    if (current) throw new ApiError(409, 'conflict', `This customer is already bound to member ${current.id}`)
    if (member.external_user_id) throw new ApiError(409, 'conflict', 'This member is already bound to another WeCom customer')
    const now = this.ctx.now()
    try {
      await this.repo.transaction(async (trx) => {
        if (!(await this.members.bind(trx, memberId, externalUserId, now))) {
          throw new ApiError(409, 'conflict', 'This member was just bound to another WeCom customer')
        }
        await this.repo.insertEvent(trx, this.event(externalUserId, 'member_bound', userId, { memberId, name: member.name }))
        // The member's phone is hers now: searchable by its last digits.
        await refreshSearchKeys(trx, [externalUserId])
      })
    } catch (error) {
      // Another member was bound to this customer at the same moment.
      if (isUniqueViolation(error)) throw new ApiError(409, 'conflict', 'This customer was just bound to another member')
      throw error
    }
    return this.customers.getProfile(userId, externalUserId)
  }
}

/**
 * A follow-up is for today or later, in China's calendar (where she and her guide live):
 * a date already past would at once be an overdue task nobody asked for.
 */
function checkFollowUpDate(date: string, now: number): void {
  if (!isCalendarDate(date)) throw ApiError.badRequest(`nextFollowUp: ${date} is not a date`)
  const today = shanghaiDate(now)
  if (date < today) throw ApiError.badRequest(`nextFollowUp: ${date} is in the past (today is ${today})`)
}
