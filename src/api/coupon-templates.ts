import type { CouponTemplate, CouponTemplateCreate, CouponTemplateList, CouponTemplateUpdate } from '@/shared/coupons'
import { http } from './http'

const template = (id: string) => `/coupon-templates/${encodeURIComponent(id)}`

/** Every template, for the manager's desk (403 for guides). */
export async function fetchCouponTemplates(): Promise<CouponTemplateList> {
  return (await http.get<CouponTemplateList>('/coupon-templates')).data
}

export async function createCouponTemplate(input: CouponTemplateCreate): Promise<CouponTemplate> {
  return (await http.post<CouponTemplate>('/coupon-templates', input)).data
}

/** Only what the update schema allows; kind, value, threshold and validity are fixed once created. */
export async function updateCouponTemplate(id: string, patch: CouponTemplateUpdate): Promise<CouponTemplate> {
  return (await http.patch<CouponTemplate>(template(id), patch)).data
}

/** Refused with 409 `conflict` once any coupon of it was issued: pause or end it instead. */
export async function deleteCouponTemplate(id: string): Promise<void> {
  await http.delete(template(id))
}
