import type { IntegrationKeyCreate, IntegrationKeyCreated, IntegrationKeyList } from '@/shared/integration'
import { http } from './http'

/** The keys of the retailer's systems, newest first (head office only: 403 for anyone else). */
export async function fetchIntegrationKeys(): Promise<IntegrationKeyList> {
  return (await http.get<IntegrationKeyList>('/integration-keys')).data
}

/** A new key: `key` is the secret, answered this once and never again. */
export async function createIntegrationKey(input: IntegrationKeyCreate): Promise<IntegrationKeyCreated> {
  return (await http.post<IntegrationKeyCreated>('/integration-keys', input)).data
}

export async function revokeIntegrationKey(id: string): Promise<void> {
  await http.delete(`/integration-keys/${encodeURIComponent(id)}`)
}
