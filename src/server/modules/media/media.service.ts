/**
 * Images for replies: stored once (validated by their bytes, de-duplicated by content),
 * served to the app, and uploaded to WeCom as temporary media. A WeCom media id lives
 * three days; we hand out a cached one while it has time left, upload a fresh one in the
 * background when it is near its end, and at once when the chat refused it (40007).
 */
import { createHash, randomBytes } from 'node:crypto'
import type { MediaAsset } from '../../../shared/replies'
import type { AppContext } from '../../context'
import { ApiError } from '../../http/errors'
import { KeyedSingleFlight } from '../../wecom/expiring'
import { ImageError, imageInfo } from './image-info'

export const MEDIA_TTL_MS = 3 * 24 * 3600 * 1000
/** Upload again in the background once a media id has less than this left. */
export const MEDIA_RENEW_MS = 24 * 3600 * 1000
/** Below this, the id might die on its way to the chat: upload before answering. */
export const MEDIA_MIN_LEFT_MS = 3600 * 1000

export function assetUrl(id: string): string {
  return `/media/assets/${id}`
}

export class MediaService {
  private readonly uploads = new KeyedSingleFlight<string, string>()

  constructor(private readonly ctx: AppContext) {}

  async store(bytes: Buffer, filename: string, actorId: string): Promise<MediaAsset> {
    let info
    try {
      info = imageInfo(bytes)
    } catch (error) {
      if (error instanceof ImageError) throw ApiError.badRequest(error.message)
      throw error
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    const existing = await this.ctx.db.kysely
      .selectFrom('media_assets')
      .select(['id', 'mime', 'size', 'width', 'height'])
      .where('sha256', '=', sha256)
      .executeTakeFirst()
    if (existing) return { ...existing, url: assetUrl(existing.id), mime: existing.mime as MediaAsset['mime'] }
    const id = `img_${randomBytes(9).toString('base64url')}`
    await this.ctx.db.kysely
      .insertInto('media_assets')
      .values({
        id,
        mime: info.mime,
        size: bytes.length,
        width: info.width,
        height: info.height,
        sha256,
        filename: filename.slice(0, 120) || 'image',
        data: bytes,
        created_by: actorId,
        created_at: this.ctx.now(),
      })
      .execute()
    return { id, url: assetUrl(id), mime: info.mime, size: bytes.length, width: info.width, height: info.height }
  }

  async file(id: string): Promise<{ mime: string; data: Buffer } | undefined> {
    const row = await this.ctx.db.kysely
      .selectFrom('media_assets')
      .select(['mime', 'data'])
      .where('id', '=', id)
      .executeTakeFirst()
    return row ? { mime: row.mime, data: Buffer.from(row.data) } : undefined
  }

  async exists(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set()
    const rows = await this.ctx.db.kysely.selectFrom('media_assets').select('id').where('id', 'in', ids).execute()
    return new Set(rows.map((r) => r.id))
  }

  /** A WeCom media id for the asset that will still be valid when the chat sends it. */
  async mediaIdFor(assetId: string): Promise<string> {
    const cached = await this.ctx.db.kysely
      .selectFrom('wecom_media')
      .selectAll()
      .where('asset_id', '=', assetId)
      .executeTakeFirst()
    if (cached) {
      const left = Number(cached.uploaded_at) + MEDIA_TTL_MS - this.ctx.now()
      if (left > MEDIA_MIN_LEFT_MS) {
        if (left < MEDIA_RENEW_MS) this.ctx.background.run('renew media', () => this.upload(assetId))
        return cached.media_id
      }
    }
    return this.upload(assetId)
  }

  /**
   * Upload, ahead of need, every image a live reply uses whose media id is missing or
   * near its end, so a guide's send finds a valid one. Returns how many were uploaded.
   */
  async renewDue(): Promise<number> {
    const rows = await this.ctx.db.kysely.selectFrom('replies').select('parts').where('retired_at', 'is', null).execute()
    const ids = new Set<string>()
    for (const row of rows) {
      for (const part of JSON.parse(row.parts) as { type: string; assetId?: string }[]) {
        if (part.type === 'image' && part.assetId) ids.add(part.assetId)
      }
    }
    if (ids.size === 0) return 0
    const cached = await this.ctx.db.kysely
      .selectFrom('wecom_media')
      .select(['asset_id', 'uploaded_at'])
      .where('asset_id', 'in', [...ids])
      .execute()
    const fresh = new Set(
      cached.filter((c) => Number(c.uploaded_at) + MEDIA_TTL_MS - this.ctx.now() > MEDIA_RENEW_MS).map((c) => c.asset_id),
    )
    let uploaded = 0
    for (const id of ids) {
      if (fresh.has(id)) continue
      try {
        await this.upload(id)
        uploaded++
      } catch (error) {
        this.ctx.log.warn({ err: error, assetId: id }, 'could not upload an image to WeCom ahead of time')
      }
    }
    return uploaded
  }

  /** Start uploading in the background (a manager just saved a reply with these images). */
  warm(assetIds: string[]): void {
    for (const id of new Set(assetIds)) this.ctx.background.run('upload media', () => this.mediaIdFor(id))
  }

  /** The chat refused this media id (expired early, 40007): upload again unless someone already did. */
  async replaceRefused(assetId: string, refusedMediaId: string): Promise<string> {
    const cached = await this.ctx.db.kysely
      .selectFrom('wecom_media')
      .select('media_id')
      .where('asset_id', '=', assetId)
      .executeTakeFirst()
    if (cached && cached.media_id !== refusedMediaId) return cached.media_id
    return this.upload(assetId)
  }

  private upload(assetId: string): Promise<string> {
    return this.uploads.run(assetId, async () => {
      const asset = await this.ctx.db.kysely
        .selectFrom('media_assets')
        .select(['data', 'mime', 'filename'])
        .where('id', '=', assetId)
        .executeTakeFirst()
      if (!asset) throw ApiError.notFound(`No image ${assetId}`)
      // Our clock, read before the upload: the id is sure to live three days from then.
      const uploadedAt = this.ctx.now()
      const result = await this.ctx.wecom.uploadMedia({
        type: 'image',
        filename: asset.filename,
        mime: asset.mime,
        bytes: Buffer.from(asset.data),
      })
      const values = { media_id: result.media_id, uploaded_at: uploadedAt }
      await this.ctx.db.kysely
        .insertInto('wecom_media')
        .values({ asset_id: assetId, ...values })
        .onConflict((oc) => oc.column('asset_id').doUpdateSet(values))
        .execute()
      return result.media_id
    })
  }
}
