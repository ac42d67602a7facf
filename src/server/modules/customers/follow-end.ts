/**
 * What the sidebar tells a guide who opens a customer she no longer follows: who ended it
 * and when, and that what she wrote about her is kept. Shown as it is (ErrorBody.detail).
 */
import { shanghaiDate } from '../../../shared/dates'
import type { FollowEndReason } from '../../db/schema'

export function followEndDetail(end: { endedAt: number; reason: FollowEndReason }): string {
  const day = shanghaiDate(end.endedAt)
  switch (end.reason) {
    case 'customer_deleted':
      return `她已于 ${day} 删除了你，之前的记录都已保留。`
    case 'guide_deleted':
      return `你已于 ${day} 删除了这位客户，之前的记录都已保留。`
    case 'transferred':
      return `这位客户已于 ${day} 转给其他导购。`
    case 'lost':
      return `这位客户自 ${day} 起已不在你的企业微信客户中，之前的记录都已保留。`
  }
}
