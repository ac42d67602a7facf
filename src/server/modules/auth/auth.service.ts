import type { Role } from '../../../shared/auth'
import type { AppContext } from '../../context'
import { ApiError } from '../../http/errors'
import { WecomError, WecomErrcode } from '../../wecom/errors'
import { GuidesRepository } from '../guides/guides.repository'
import { roleOf } from '../guides/roles'

/** Re-read the guide's name from WeCom at most this often. */
const PROFILE_REFRESH_MS = 24 * 3600 * 1000

export class AuthService {
  private readonly guides: GuidesRepository

  constructor(private readonly ctx: AppContext) {
    this.guides = new GuidesRepository(ctx.db)
  }

  /** OAuth code → the WeCom member who opened the page, recorded as a guide. */
  async signInWithCode(code: string): Promise<string> {
    let userId: string | undefined
    try {
      const info = await this.ctx.wecom.getUserInfoByCode(code)
      userId = info.userid
    } catch (error) {
      if (error instanceof WecomError && error.errcode === WecomErrcode.invalidCode) {
        throw new ApiError(400, 'invalid_oauth_code', 'The sign-in code is invalid or was already used')
      }
      throw error
    }
    if (!userId) {
      throw new ApiError(403, 'not_a_member', 'Only members of the company can use the guide sidebar')
    }
    await this.recordGuide(userId)
    return userId
  }

  private async recordGuide(userId: string): Promise<void> {
    const now = this.ctx.now()
    const existing = await this.guides.find(userId)
    if (existing && now - existing.updated_at < PROFILE_REFRESH_MS) return
    let name = existing?.name ?? userId
    let avatar = existing?.avatar ?? null
    try {
      const user = await this.ctx.wecom.getUser(userId)
      // Newer self-built apps may get no name back; the userid is the honest fallback.
      if (user.name) name = user.name
      if (user.avatar) avatar = user.avatar
    } catch (error) {
      this.ctx.log.warn({ err: error, userId }, 'Could not read the guide from WeCom; keeping what we have')
    }
    await this.guides.upsert({ userId, name, avatar, now })
  }

  async me(userId: string): Promise<{ userId: string; name: string; role: Role } | null> {
    const guide = await this.guides.find(userId)
    if (!guide) return null
    return { userId, name: guide.name, role: await roleOf(this.ctx, userId) }
  }
}
