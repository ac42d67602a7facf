import { acceptHMRUpdate, defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { fetchReplyLibrary, setFavorite } from '@/api/replies'
import { ReplyIndex } from '@/components/replies/reply-index'
import type { Reply, ReplyGroup, ReplyLibrary } from '@/shared/replies'
import type { LoadStatus } from '@/api/status'

/** A library older than this is re-read quietly when the replies tab opens again. */
const FRESH_MS = 60_000

/**
 * The reply library, loaded once and searched on the device: typing never waits for the
 * network. Her own changes (favourites, sends, personal replies) show at once.
 */
export const useRepliesStore = defineStore('replies', () => {
  const library = shallowRef<ReplyLibrary | null>(null)
  const status = ref<LoadStatus>('idle')
  const error = shallowRef<unknown>(null)
  let loadedAt = 0
  let pending: Promise<void> | null = null

  const index = computed(() => (library.value ? new ReplyIndex(library.value) : null))

  function load(): Promise<void> {
    pending ??= (async () => {
      if (!library.value) status.value = 'loading'
      try {
        library.value = await fetchReplyLibrary()
        loadedAt = Date.now()
        status.value = 'done'
        error.value = null
      } catch (failure) {
        error.value = failure
        // A library already shown stays usable; only a first load fails visibly.
        if (!library.value) status.value = 'error'
      } finally {
        pending = null
      }
    })()
    return pending
  }

  /** Load the first time; afterwards refresh in the background when it has grown old. */
  function ensure(): Promise<void> {
    if (!library.value) return load()
    if (Date.now() - loadedAt > FRESH_MS) void load()
    return Promise.resolve()
  }

  function patch(change: (current: ReplyLibrary) => ReplyLibrary): void {
    if (library.value) library.value = change(library.value)
  }

  async function toggleFavorite(id: string): Promise<void> {
    const favorite = !library.value?.favorites.includes(id)
    const apply = (on: boolean) =>
      patch((l) => ({ ...l, favorites: on ? [...l.favorites.filter((f) => f !== id), id] : l.favorites.filter((f) => f !== id) }))
    apply(favorite)
    try {
      await setFavorite(id, favorite)
    } catch (failure) {
      apply(!favorite)
      throw failure
    }
  }

  /** Count a send at once, so "recently used" is right before the server answers. */
  function noteUsed(id: string): void {
    const now = new Date().toISOString()
    patch((l) => {
      const current = l.usage.find((u) => u.replyId === id)
      const usage = current
        ? l.usage.map((u) => (u.replyId === id ? { ...u, count: u.count + 1, lastUsedAt: now } : u))
        : [...l.usage, { replyId: id, count: 1, lastUsedAt: now }]
      return { ...l, usage }
    })
  }

  function putReply(reply: Reply): void {
    patch((l) => {
      const replies = reply.retired ? l.replies.filter((r) => r.id !== reply.id) : upsert(l.replies, reply)
      return { ...l, replies }
    })
  }

  function putGroup(group: ReplyGroup): void {
    patch((l) => ({ ...l, groups: group.retired ? l.groups.filter((g) => g.id !== group.id) : upsert(l.groups, group) }))
  }

  return { library, index, status, error, ensure, load, toggleFavorite, noteUsed, putReply, putGroup }
})

function upsert<T extends { id: string }>(list: readonly T[], item: T): T[] {
  return list.some((x) => x.id === item.id) ? list.map((x) => (x.id === item.id ? item : x)) : [...list, item]
}

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useRepliesStore, import.meta.hot))
