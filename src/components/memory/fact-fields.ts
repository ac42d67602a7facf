/** How each fact is edited and shown: its kind, label and the values guides pick most. */
import { STYLE_WORDS, type Facts, type FactField } from '@/shared/customer'
import type { FactsPatch } from '@/shared/memory'
import { MATERIALS } from '@/shared/catalog'
import type { MessageKey } from '@/i18n'

export type FactKind = 'size' | 'text' | 'words' | 'birthday' | 'phone' | 'store'

export interface FactSpec {
  kind: FactKind
  label: MessageKey
  suggestions?: string[]
  max?: number
}

const TOPS = ['XS', 'S', 'M', 'L', 'XL', 'XXL']
const COLORS = ['黑色', '白色', '燕麦色', '雾霾蓝', '焦糖', '酒红', '橄榄绿', '樱花粉', '亮黄', '荧光色', '大红']

export const FACT_SPECS: Record<FactField, FactSpec> = {
  sizeTop: { kind: 'size', label: 'field.sizeTop', suggestions: TOPS },
  sizeBottom: {
    kind: 'size',
    label: 'field.sizeBottom',
    suggestions: ['24', '25', '26', '27', '28', '29', '30', '31', 'S', 'M', 'L'],
  },
  sizeDress: { kind: 'size', label: 'field.sizeDress', suggestions: TOPS },
  sizeShoes: { kind: 'size', label: 'field.sizeShoes', suggestions: ['34', '35', '36', '37', '38', '39', '40', '41'] },
  fitNotes: { kind: 'text', label: 'field.fitNotes', max: 200 },
  stylePreferences: {
    kind: 'words',
    label: 'field.stylePreferences',
    suggestions: [...STYLE_WORDS],
  },
  colorsLiked: { kind: 'words', label: 'field.colorsLiked', suggestions: COLORS },
  colorsAvoided: { kind: 'words', label: 'field.colorsAvoided', suggestions: COLORS },
  materialsAvoided: { kind: 'words', label: 'field.materialsAvoided', suggestions: [...MATERIALS] },
  birthday: { kind: 'birthday', label: 'field.birthday' },
  phone: { kind: 'phone', label: 'field.phone' },
  preferredStoreId: { kind: 'store', label: 'field.preferredStoreId' },
}

/** The value the editor starts from. */
export function currentValue(facts: Facts, field: FactField): string | string[] | null {
  switch (field) {
    case 'sizeTop':
      return facts.sizes.top
    case 'sizeBottom':
      return facts.sizes.bottom
    case 'sizeDress':
      return facts.sizes.dress
    case 'sizeShoes':
      return facts.sizes.shoes
    case 'fitNotes':
      return facts.fitNotes
    case 'stylePreferences':
    case 'colorsLiked':
    case 'colorsAvoided':
    case 'materialsAvoided':
      return facts[field]
    case 'birthday':
      return facts.birthday
    case 'phone':
      return null
    case 'preferredStoreId':
      return facts.preferredStore?.id ?? null
  }
}

/** The profile as it will look once the patch is saved (for showing it at once). */
export function applyPatch(facts: Facts, patch: FactsPatch, storeName?: (id: string) => string | undefined): Facts {
  const next: Facts = { ...facts, sizes: { ...facts.sizes } }
  if ('sizeTop' in patch) next.sizes.top = patch.sizeTop || null
  if ('sizeBottom' in patch) next.sizes.bottom = patch.sizeBottom || null
  if ('sizeDress' in patch) next.sizes.dress = patch.sizeDress || null
  if ('sizeShoes' in patch) next.sizes.shoes = patch.sizeShoes || null
  if ('fitNotes' in patch) next.fitNotes = patch.fitNotes || null
  if (patch.stylePreferences) next.stylePreferences = patch.stylePreferences
  if (patch.colorsLiked) next.colorsLiked = patch.colorsLiked
  if (patch.colorsAvoided) next.colorsAvoided = patch.colorsAvoided
  if (patch.materialsAvoided) next.materialsAvoided = patch.materialsAvoided
  if ('birthday' in patch) next.birthday = patch.birthday || null
  if ('phone' in patch) next.phoneMasked = patch.phone ? `${patch.phone.slice(0, 3)}****${patch.phone.slice(-4)}` : null
  if ('preferredStoreId' in patch) {
    const id = patch.preferredStoreId
    next.preferredStore = id ? { id, name: storeName?.(id) ?? id } : null
  }
  return next
}
