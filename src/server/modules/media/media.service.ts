/**
 * Images for replies: stored once (validated by their bytes, de-duplicated by content),
 * served to the app, and uploaded to WeCom as temporary media. A WeCom media id lives
 * three days; we hand out a cached one while it has time left, upload a fresh one in the
 * background when it is near its end, and at once when the chat refused it (40007).
 */
import type { MediaAsset } from '../../../shared/replies'
import type { AppContext } from '../../context'
import { ApiError } from '../../http/errors'
import { KeyedSingleFlight } from '../../wecom/expiring'
import { ImageError } from './image-info'
import { assetUrl, toMediaAsset } from './media.mapper'
import { MediaRepository } from './media.repository'

export const MEDIA_TTL_MS = 3 * 24 * 3600 * 1000
/** Upload again in the background once a media id has less than this left. */
export const MEDIA_RENEW_MS = 24 * 3600 * 1000
/** Below this, the id might die on its way to the chat: upload before answering. */
export const MEDIA_MIN_LEFT_MS = 3600 * 1000

export class MediaService {
  private readonly uploads = new KeyedSingleFlight<string, string>()
  private readonly repo: MediaRepository

  constructor(private readonly ctx: AppContext) {
    this.repo = new MediaRepository(ctx.db)
  }

  async store(bytes: Buffer, filename: string, actorId: string): Promise<MediaAsset> {
    try {
      return toMediaAsset(await this.repo.keep(bytes, filename, actorId, this.ctx.now()))
    } catch (error) {
      if (error instanceof ImageError) throw ApiError.badRequest(error.message)
      throw error
    }
  }

  file(id: string): Promise<{ mime: string; data: Buffer } | undefined> {
    return this.repo.file(id)
  }

  exists(ids: string[]): Promise<Set<string>> {
    return this.repo.existing(ids)
  }

  /** How the app shows these images: address and size. */
  async shown(ids: string[]): Promise<{ id: string; url: string; width: number; height: number }[]> {
    const rows = await this.repo.sizes(ids)
    return rows.map((r) => ({ id: r.id, url: assetUrl(r.id), width: r.width, height: r.height }))
  }

  /** A WeCom media id for the asset that will still be valid when the chat sends it. */
  async mediaIdFor(assetId: string): Promise<string> {
    const cached = await this.repo.mediaId(assetId)
    if (cached) {
      const left = cached.uploadedAt + MEDIA_TTL_MS - this.ctx.now()
      if (left > MEDIA_MIN_LEFT_MS) {
        if (left < MEDIA_RENEW_MS) this.ctx.background.run('renew media', () => this.upload(assetId))
        return cached.mediaId
      }
    }
    return this.upload(assetId)
  }

  /**
   * Upload, ahead of need, every image a live reply uses whose media id is missing or
   * near its end, so a guide's send finds a valid one. Returns how many were uploaded.
   */
  async renewDue(): Promise<number> {
    const ids = new Set<string>()
    for (const parts of await this.repo.liveReplyParts()) {
      for (const part of JSON.parse(parts) as { type: string; assetId?: string }[]) {
        if (part.type === 'image' && part.assetId) ids.add(part.assetId)
      }
    }
    if (ids.size === 0) return 0
    const cached = await this.repo.uploadTimes([...ids])
    const fresh = new Set(
      cached.filter((c) => c.uploadedAt + MEDIA_TTL_MS - this.ctx.now() > MEDIA_RENEW_MS).map((c) => c.assetId),
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
    const cached = await this.repo.mediaId(assetId)
    if (cached && cached.mediaId !== refusedMediaId) return cached.mediaId
    return this.upload(assetId)
  }

  private upload(assetId: string): Promise<string> {
    return this.uploads.run(assetId, async () => {
      const asset = await this.repo.source(assetId)
      if (!asset) throw ApiError.notFound(`No image ${assetId}`)
      // Our clock, read before the upload: the id is sure to live three days from then.
      const uploadedAt = this.ctx.now()
      const result = await this.ctx.wecom.uploadMedia({
        type: 'image',
        filename: asset.filename,
        mime: asset.mime,
        bytes: asset.data,
      })
      await this.repo.saveMediaId(assetId, result.media_id, uploadedAt)
      return result.media_id
    })
  }
}
