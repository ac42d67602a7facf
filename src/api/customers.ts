import type { CustomerList, CustomerListQuery, CustomerProfile } from '@/shared/customer'
import { http } from './http'

export async function fetchCustomer(externalUserId: string, options: { signal?: AbortSignal } = {}): Promise<CustomerProfile> {
  return (await http.get<CustomerProfile>(`/customers/${encodeURIComponent(externalUserId)}`, { signal: options.signal })).data
}

export async function fetchCustomers(query: CustomerListQuery, options: { signal?: AbortSignal } = {}): Promise<CustomerList> {
  return (await http.get<CustomerList>('/customers', { params: query, signal: options.signal })).data
}
