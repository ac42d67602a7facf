import { createHash, randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Db } from '../../db'
import type { Database, MediaAssetsTable } from '../../db/schema'
import { imageInfo } from './image-info'

type KeptAsset = { id: string; mime: string; size: number; width: number; height: number }

/** Pictures being kept right now in this process, by their sha256. */
const keeping = new Map<string, Promise<KeptAsset>>()

/** Uploaded images (`media_assets`) and the WeCom media ids they were last uploaded as (`wecom_media`). */
export class MediaRepository {
  private readonly db: Kysely<Database>

  constructor(database: Db) {
    this.db = database.kysely
  }

  findBySha256(sha256: string) {
    return this.db
      .selectFrom('media_assets')
      .select(['id', 'mime', 'size', 'width', 'height'])
      .where('sha256', '=', sha256)
      .executeTakeFirst()
  }

  async insert(asset: MediaAssetsTable): Promise<void> {
    await this.db.insertInto('media_assets').values(asset).execute()
  }

  /**
   * Keeps a picture once by its content: checked by its bytes (ImageError when it is not a
   * JPEG or PNG), the stored row when the same bytes were kept before.
   */
  async keep(bytes: Buffer, filename: string, createdBy: string, now: number): Promise<KeptAsset> {
    const info = imageInfo(bytes)
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    // The same bytes kept twice at once (an import fetches six pictures at a time, and a
    // file may name one picture twice) wait for the first, rather than both finding
    // nothing and storing two copies. Across instances two copies can still happen; they
    // cost only space.
    const pending = keeping.get(sha256)
    if (pending) return pending
    const kept = this.keepNew(bytes, info, sha256, filename, createdBy, now)
    keeping.set(sha256, kept)
    try {
      return await kept
    } finally {
      keeping.delete(sha256)
    }
  }

  private async keepNew(
    bytes: Buffer,
    info: ReturnType<typeof imageInfo>,
    sha256: string,
    filename: string,
    createdBy: string,
    now: number,
  ): Promise<KeptAsset> {
    const existing = await this.findBySha256(sha256)
    if (existing) return existing
    const asset = {
      id: `img_${randomBytes(9).toString('base64url')}`,
      mime: info.mime,
      size: bytes.length,
      width: info.width,
      height: info.height,
    }
    await this.insert({
      ...asset,
      sha256,
      filename: filename.slice(0, 120) || 'image',
      data: bytes,
      created_by: createdBy,
      created_at: now,
    })
    return asset
  }

  async file(id: string): Promise<{ mime: string; data: Buffer } | undefined> {
    const row = await this.db.selectFrom('media_assets').select(['mime', 'data']).where('id', '=', id).executeTakeFirst()
    return row ? { mime: row.mime, data: Buffer.from(row.data) } : undefined
  }

  /** What an upload to WeCom sends. */
  async source(id: string): Promise<{ data: Buffer; mime: string; filename: string } | undefined> {
    const row = await this.db
      .selectFrom('media_assets')
      .select(['data', 'mime', 'filename'])
      .where('id', '=', id)
      .executeTakeFirst()
    return row ? { data: Buffer.from(row.data), mime: row.mime, filename: row.filename } : undefined
  }

  async existing(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set()
    const rows = await this.db.selectFrom('media_assets').select('id').where('id', 'in', ids).execute()
    return new Set(rows.map((r) => r.id))
  }

  sizes(ids: string[]): Promise<{ id: string; width: number; height: number }[]> {
    if (ids.length === 0) return Promise.resolve([])
    return this.db.selectFrom('media_assets').select(['id', 'width', 'height']).where('id', 'in', ids).execute()
  }

  /** The parts (JSON) of every live reply: the images WeCom should have a valid id for. */
  async liveReplyParts(): Promise<string[]> {
    const rows = await this.db.selectFrom('replies').select('parts').where('retired_at', 'is', null).execute()
    return rows.map((r) => r.parts)
  }

  async mediaId(assetId: string): Promise<{ mediaId: string; uploadedAt: number } | undefined> {
    const row = await this.db
      .selectFrom('wecom_media')
      .select(['media_id', 'uploaded_at'])
      .where('asset_id', '=', assetId)
      .executeTakeFirst()
    return row ? { mediaId: row.media_id, uploadedAt: Number(row.uploaded_at) } : undefined
  }

  async uploadTimes(assetIds: string[]): Promise<{ assetId: string; uploadedAt: number }[]> {
    const rows = await this.db
      .selectFrom('wecom_media')
      .select(['asset_id', 'uploaded_at'])
      .where('asset_id', 'in', assetIds)
      .execute()
    return rows.map((r) => ({ assetId: r.asset_id, uploadedAt: Number(r.uploaded_at) }))
  }

  async saveMediaId(assetId: string, mediaId: string, uploadedAt: number): Promise<void> {
    const values = { media_id: mediaId, uploaded_at: uploadedAt }
    await this.db
      .insertInto('wecom_media')
      .values({ asset_id: assetId, ...values })
      .onConflict((oc) => oc.column('asset_id').doUpdateSet(values))
      .execute()
  }
}
