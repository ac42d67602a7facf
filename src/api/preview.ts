import type { Me, PreviewStart } from '@/shared/auth'
import { http } from './http'

/**
 * See the app as this guide sees it: from now on every request acts as her, read-only
 * (the server keeps the grant in a cookie of its own). Answers who she now is.
 */
export async function startPreview(guideUserId: string): Promise<Me> {
  const body: PreviewStart = { guideUserId }
  return (await http.post<Me>('/preview', body)).data
}

/** Her own view again. */
export async function endPreview(): Promise<void> {
  await http.delete('/preview')
}
