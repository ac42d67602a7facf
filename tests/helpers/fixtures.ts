/** Small builders for contract objects, so each test states only what it cares about. */
import type { CustomerProfile, CustomerTag, Facts, Member, Purchase } from '../../src/shared/customer'

export const NOW = Date.UTC(2026, 10, 25, 4, 0, 0)
const DAY = 86_400_000

export function daysAgo(days: number): string {
  return new Date(NOW - days * DAY).toISOString()
}

export function tag(name: string, overrides: Partial<CustomerTag> = {}): CustomerTag {
  return { groupName: '风格偏好', name, type: 'corp', tagId: `et${name}`, source: 'wecom', ...overrides }
}

export function purchase(overrides: Partial<Purchase> = {}): Purchase {
  return {
    orderId: 'O1',
    purchasedAt: daysAgo(12),
    storeName: '上海静安嘉里中心店',
    totalFen: 129900,
    items: [
      {
        productId: 'P1',
        name: '双面羊毛大衣',
        imageUrl: '/media/demo/garment/outerwear-0-d8c8ae.svg',
        color: '燕麦色',
        size: 'M',
        priceFen: 129900,
        quantity: 1,
        returned: false,
      },
    ],
    ...overrides,
  }
}

export function member(overrides: Partial<Member> = {}): Member {
  return {
    memberId: 'M1',
    level: 'gold',
    points: 3200,
    storeName: '上海静安嘉里中心店',
    sizes: { top: 'M', bottom: '27', dress: 'M', shoes: '37' },
    stylePreferences: ['通勤', '度假', '法式'],
    stats: { orderCount: 8, totalSpentFen: 1_234_500, lastPurchaseAt: daysAgo(12), averageIntervalDays: 45 },
    recentPurchases: [purchase()],
    ...overrides,
  }
}

export function facts(overrides: Partial<Facts> = {}): Facts {
  return {
    sizes: { top: 'M', bottom: '27', dress: 'M', shoes: '37' },
    fitNotes: null,
    stylePreferences: ['通勤', '度假', '法式'],
    colorsLiked: [],
    colorsAvoided: [],
    materialsAvoided: [],
    birthday: '05-12',
    phoneMasked: '138****8000',
    preferredStore: { id: 'S001', name: '上海静安嘉里中心店' },
    edits: [],
    ...overrides,
  }
}

export function profile(overrides: Partial<CustomerProfile> = {}): CustomerProfile {
  return {
    externalUserId: 'wmAAAA',
    name: 'Lily🌸',
    avatar: null,
    gender: 2,
    type: 1,
    corpName: null,
    follow: {
      remark: '张婷 静安 M码',
      description: '',
      tags: [tag('通勤'), tag('高净值', { groupName: '客户价值' })],
      addedAt: daysAgo(300),
      addWay: 1,
      deletedByCustomerAt: null,
    },
    member: member(),
    facts: facts(),
    syncedAt: new Date(NOW).toISOString(),
    ...overrides,
  }
}
