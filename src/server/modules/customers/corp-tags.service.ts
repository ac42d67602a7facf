/**
 * The company's tag list from WeCom (`get_corp_tag_list`), cached in our database and
 * re-read when older than ten minutes, single-flight. Guides pick from it; ids sent to
 * `mark_tag` are checked against it first.
 */
import type { CorpTagGroups } from '../../../shared/memory'
import type { AppContext } from '../../context'
import { KeyedSingleFlight } from '../../wecom/expiring'
import { CorpTagsRepository } from './corp-tags.repository'

export const CORP_TAGS_STALE_MS = 10 * 60 * 1000

export interface CorpTag {
  id: string
  name: string
  groupName: string
}

export class CorpTags {
  private readonly flight = new KeyedSingleFlight<string, void>()
  private readonly repo: CorpTagsRepository

  constructor(private readonly ctx: AppContext) {
    this.repo = new CorpTagsRepository(ctx.db)
  }

  /** Read the list from WeCom and replace our copy (deleted tags and groups dropped). */
  refresh(): Promise<void> {
    return this.flight.run('all', async () => {
      const result = await this.ctx.wecom.getCorpTagList()
      const now = this.ctx.now()
      const rows = (result.tag_group ?? [])
        .filter((g) => !g.deleted)
        .flatMap((g) =>
          (g.tag ?? [])
            .filter((t) => !t.deleted)
            .map((t) => ({
              tag_id: t.id,
              name: t.name,
              group_id: g.group_id,
              group_name: g.group_name,
              group_order: g.order ?? 0,
              tag_order: t.order ?? 0,
            })),
        )
      await this.repo.replaceAll(rows, now)
    })
  }

  /** The cached list, read from WeCom first if we never have, refreshed in the background when old. */
  private async ensure(): Promise<void> {
    const at = await this.repo.syncedAt()
    if (at === null) await this.refresh()
    else if (this.ctx.now() - at > CORP_TAGS_STALE_MS) this.ctx.background.run('corp tags', () => this.refresh())
  }

  async groups(): Promise<CorpTagGroups> {
    await this.ensure()
    const rows = await this.repo.all()
    const groups: CorpTagGroups['groups'] = []
    for (const row of rows) {
      let group = groups.at(-1)
      if (!group || group.groupId !== row.group_id) {
        group = { groupId: row.group_id, name: row.group_name, tags: [] }
        groups.push(group)
      }
      group.tags.push({ id: row.tag_id, name: row.name })
    }
    return { groups }
  }

  /** The tags with these ids; ids WeCom does not know are reported, after one fresh read. */
  async resolve(ids: string[]): Promise<{ known: Map<string, CorpTag>; unknown: string[] }> {
    await this.ensure()
    const lookup = async () => {
      const rows = await this.repo.byIds(ids)
      return new Map(rows.map((r) => [r.tag_id, { id: r.tag_id, name: r.name, groupName: r.group_name }]))
    }
    let known = await lookup()
    if (known.size < new Set(ids).size) {
      // A tag made in the admin console a minute ago: look again before refusing.
      await this.refresh()
      known = await lookup()
    }
    return { known, unknown: ids.filter((id) => !known.has(id)) }
  }
}
