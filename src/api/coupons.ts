import type { CouponOffer, CouponOffers, CustomerCoupons, Issuance } from '@/shared/coupons'
import { http } from './http'

const customer = (id: string) => `/customers/${encodeURIComponent(id)}`

export async function fetchCouponOffers(externalUserId: string): Promise<CouponOffer[]> {
  return (await http.get<CouponOffers>(`${customer(externalUserId)}/coupon-offers`)).data.offers
}

export async function fetchCustomerCoupons(externalUserId: string): Promise<Issuance[]> {
  return (await http.get<CustomerCoupons>(`${customer(externalUserId)}/coupons`)).data.coupons
}

export async function issueCoupon(templateId: string, externalUserId: string, idempotencyKey: string): Promise<Issuance> {
  return (await http.post<Issuance>(`/coupons/${encodeURIComponent(templateId)}/issue`, { externalUserId, idempotencyKey })).data
}

export async function confirmIssuance(id: string): Promise<Issuance> {
  return (await http.post<Issuance>(`/issuances/${encodeURIComponent(id)}/confirm`)).data
}

export async function releaseIssuance(id: string): Promise<Issuance> {
  return (await http.post<Issuance>(`/issuances/${encodeURIComponent(id)}/release`)).data
}
