import type { Reply, ReplyGroup, ReplyPart } from '../../../shared/replies'
import { iso, parseJsonArray } from '../../db/sql'
import type { GroupRow, ReplyRow } from './replies.repository'

export function toGroup(row: GroupRow): ReplyGroup {
  return {
    id: row.id,
    scope: row.scope,
    parentId: row.parent_id,
    name: row.name,
    position: row.position,
    retired: row.retired_at !== null,
  }
}

export function toReply(row: ReplyRow): Reply {
  return {
    id: row.id,
    scope: row.scope,
    groupId: row.group_id,
    title: row.title,
    parts: parseJsonArray<ReplyPart>(row.parts),
    tags: parseJsonArray<string>(row.tags),
    stages: parseJsonArray(row.stages),
    position: row.position,
    retired: row.retired_at !== null,
    updatedAt: iso(Number(row.updated_at)),
  }
}
