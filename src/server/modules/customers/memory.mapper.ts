/** Notes as the API sends them, and facts as the timeline words a change. */
import type { CustomerProfile } from '../../../shared/customer'
import type { FactsPatch, Note } from '../../../shared/memory'

export function toNote(row: {
  id: string
  text: string
  next_follow_up: string | null
  outcome: string | null
  author_id: string
  author_name: string | null
  created_at: number
}): Note {
  return {
    id: row.id,
    text: row.text,
    nextFollowUp: row.next_follow_up,
    outcome: row.outcome as Note['outcome'],
    author: { userId: row.author_id, name: row.author_name ?? row.author_id },
    createdAt: new Date(Number(row.created_at)).toISOString(),
  }
}

/** A fact as the timeline shows it ("M", "通勤、度假", "138****8000"). */
export function display(profile: CustomerProfile, field: keyof FactsPatch): string {
  const f = profile.facts
  switch (field) {
    case 'sizeTop':
      return f.sizes.top ?? ''
    case 'sizeBottom':
      return f.sizes.bottom ?? ''
    case 'sizeDress':
      return f.sizes.dress ?? ''
    case 'sizeShoes':
      return f.sizes.shoes ?? ''
    case 'fitNotes':
      return f.fitNotes ?? ''
    case 'stylePreferences':
      return f.stylePreferences.join('、')
    case 'colorsLiked':
      return f.colorsLiked.join('、')
    case 'colorsAvoided':
      return f.colorsAvoided.join('、')
    case 'materialsAvoided':
      return f.materialsAvoided.join('、')
    case 'birthday':
      return f.birthday ?? ''
    case 'phone':
      return f.phoneMasked ?? ''
    case 'preferredStoreId':
      return f.preferredStore?.name ?? ''
  }
}
