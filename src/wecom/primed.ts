import { getCurrentChatId, getCurrentCustomerId } from './index'

type Kind = 'customer' | 'chat'

/**
 * Who is open, asked at start-up (by src/boot/early.ts, before the app's code has come) and
 * handed to the first screen that asks, so the answer is not waited for twice. Only the
 * first ask takes it; every later one goes to WeCom.
 */
const primed: Record<Kind, Promise<string> | null> = { customer: null, chat: null }
const stopWatching: Record<Kind, (() => void) | null> = { customer: null, chat: null }

/**
 * An answer given before the page left and came back may be out of date (a desktop
 * sidebar is kept while she moves to another chat): it is dropped, and the screen asks
 * WeCom itself. Watched only until a screen takes the answer (then usePageReturn does it).
 */
function dropOnReturn(kind: Kind): () => void {
  if (typeof window === 'undefined') return () => {}
  let left = false
  const leave = () => {
    left = true
  }
  const back = () => {
    if (!left || document.visibilityState !== 'visible') return
    primed[kind] = null
    stop()
  }
  const onVisibility = () => (document.visibilityState === 'hidden' ? leave() : back())
  document.addEventListener('visibilitychange', onVisibility)
  window.addEventListener('blur', leave)
  window.addEventListener('focus', back)
  const stop = () => {
    document.removeEventListener('visibilitychange', onVisibility)
    window.removeEventListener('blur', leave)
    window.removeEventListener('focus', back)
  }
  return stop
}

export function primeCurrentContact(kind: Kind): Promise<string> {
  const pending = kind === 'customer' ? getCurrentCustomerId() : getCurrentChatId()
  // The screen that takes it handles failure; until then nobody is listening.
  pending.catch(() => {})
  stopWatching[kind]?.()
  primed[kind] = pending
  stopWatching[kind] = dropOnReturn(kind)
  return pending
}

/** An early ask that no screen will take (the app was not opened on a customer). */
export function forgetPrimed(kind: Kind): void {
  takePrimed(kind)
}

export function takePrimed(kind: Kind): Promise<string> | null {
  const pending = primed[kind]
  primed[kind] = null
  stopWatching[kind]?.()
  stopWatching[kind] = null
  return pending
}
