import type { Role } from '../../../shared/auth'
import type { AppContext } from '../../context'
import { ApiError } from '../../http/errors'
import { GuidesRepository } from './guides.repository'

/** A guide is a manager when the database says so (demo data) or WECOM_MANAGER_IDS lists her. */
export async function roleOf(ctx: AppContext, userId: string): Promise<Role> {
  if (ctx.config.wecom.managerIds.has(userId)) return 'manager'
  const guide = await new GuidesRepository(ctx.db).find(userId)
  return guide?.role === 'manager' ? 'manager' : 'guide'
}

export async function requireManager(ctx: AppContext, userId: string): Promise<void> {
  if ((await roleOf(ctx, userId)) !== 'manager') throw ApiError.forbidden('Only store managers can change shared content')
}
