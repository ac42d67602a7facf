/**
 * Facts as the profile shows them: what a guide recorded wins, the CRM's member record
 * fills the rest. A guide's cleared field is stored as '' (or []) so it stays cleared
 * instead of falling back to the CRM value she just removed.
 */
import type { FactEdit, FactField, Facts } from '../../../shared/customer'
import { FACT_FIELDS } from '../../../shared/customer'
import { maskPhone } from '../../../shared/memory'
import { iso, parseJsonArray } from '../../db/sql'

export interface FactsRow {
  size_top: string | null
  size_bottom: string | null
  size_dress: string | null
  size_shoes: string | null
  style_preferences: string | null
  phone: string | null
  birthday: string | null
  store_id: string | null
  store_name: string | null
  own_size_top: string | null
  own_size_bottom: string | null
  own_size_dress: string | null
  own_size_shoes: string | null
  own_fit_notes: string | null
  own_style_preferences: string | null
  own_colors_liked: string | null
  own_colors_avoided: string | null
  own_materials_avoided: string | null
  own_birthday: string | null
  own_phone: string | null
  own_store_id: string | null
  own_store_name: string | null
}

export interface FactChangeRow {
  payload: string
  occurred_at: number
  actor_id: string | null
  actor_name: string | null
}

function text(own: string | null, crm: string | null): string | null {
  return own !== null ? own || null : crm
}

function words(own: string | null, crm: string | null): string[] {
  return own !== null ? parseJsonArray<string>(own) : parseJsonArray<string>(crm)
}

export function factsOf(row: FactsRow, changes: FactChangeRow[]): Facts {
  const phone = text(row.own_phone, row.phone)
  const edits: FactEdit[] = []
  const seen = new Set<string>()
  for (const change of changes) {
    const field = (JSON.parse(change.payload) as { field?: string }).field
    if (!field || seen.has(field) || !(FACT_FIELDS as readonly string[]).includes(field)) continue
    seen.add(field)
    edits.push({
      field: field as FactField,
      byName: change.actor_name ?? change.actor_id ?? '',
      at: iso(Number(change.occurred_at)),
    })
  }
  return {
    sizes: {
      top: text(row.own_size_top, row.size_top),
      bottom: text(row.own_size_bottom, row.size_bottom),
      dress: text(row.own_size_dress, row.size_dress),
      shoes: text(row.own_size_shoes, row.size_shoes),
    },
    fitNotes: text(row.own_fit_notes, null),
    stylePreferences: words(row.own_style_preferences, row.style_preferences),
    colorsLiked: words(row.own_colors_liked, null),
    colorsAvoided: words(row.own_colors_avoided, null),
    materialsAvoided: words(row.own_materials_avoided, null),
    birthday: text(row.own_birthday, row.birthday),
    phoneMasked: phone ? maskPhone(phone) : null,
    preferredStore:
      row.own_store_id !== null
        ? row.own_store_id
          ? { id: row.own_store_id, name: row.own_store_name ?? row.own_store_id }
          : null
        : row.store_id
          ? { id: row.store_id, name: row.store_name ?? row.store_id }
          : null,
    edits,
  }
}

/** The full phone number behind the mask (for the reveal endpoint). */
export function phoneOf(row: Pick<FactsRow, 'own_phone' | 'phone'>): string | null {
  return text(row.own_phone, row.phone)
}
