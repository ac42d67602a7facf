import { acceptHMRUpdate, defineStore } from 'pinia'
import { shallowReactive } from 'vue'
import { fetchCustomer } from '@/api/customers'
import { isApiFailure } from '@/api/http'
import type { CustomerProfile } from '@/shared/customer'

/**
 * Profiles already loaded in this page, keyed by customer. Keyed, so a late answer for
 * an earlier customer lands under her id and can never show up as someone else's.
 */
export const useCustomersStore = defineStore('customers', () => {
  const profiles = shallowReactive(new Map<string, CustomerProfile>())
  const inflight = new Map<string, Promise<CustomerProfile>>()

  function load(externalUserId: string): Promise<CustomerProfile> {
    let pending = inflight.get(externalUserId)
    if (!pending) {
      pending = fetchCustomer(externalUserId)
        .then((profile) => {
          profiles.set(externalUserId, profile)
          return profile
        })
        .catch((failure: unknown) => {
          // She is no longer ours to see: drop the copy rather than keep showing it.
          if (isApiFailure(failure) && (failure.status === 403 || failure.status === 404)) profiles.delete(externalUserId)
          throw failure
        })
        .finally(() => inflight.delete(externalUserId))
      inflight.set(externalUserId, pending)
    }
    return pending
  }

  return { profiles, load }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useCustomersStore, import.meta.hot))
