import type { MediaAsset } from '../../../shared/replies'
import type { MediaAssetsTable } from '../../db/schema'

/** Where the app loads an uploaded image (served by `GET /media/assets/:id`). */
export function assetUrl(id: string): string {
  return `/media/assets/${id}`
}

export function toMediaAsset(row: Pick<MediaAssetsTable, 'id' | 'mime' | 'size' | 'width' | 'height'>): MediaAsset {
  return { ...row, url: assetUrl(row.id), mime: row.mime as MediaAsset['mime'] }
}
