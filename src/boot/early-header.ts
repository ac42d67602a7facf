import { avatarBackground, avatarInitial } from '@/components/common/avatar'
import { displayName } from '@/components/customer/display-name'
import type { CustomerProfile } from '@/shared/customer'

/**
 * Her name and picture, drawn into the page's placeholder (index.html) before the app's
 * code has run: at the place, size and weight CustomerHeader gives them, so nothing moves
 * when the app mounts over it. Text only (textContent), as everywhere her data shows.
 * Returns false when there is no placeholder left to draw in (the app is already up).
 */
export function paintEarlyHeader(profile: CustomerProfile, root: ParentNode = document): boolean {
  const head = root.querySelector('.gs-boot__head')
  const slot = head?.querySelector('.gs-boot__avatar')
  const nameLine = head?.querySelector('.gs-boot__name')
  if (!head || !slot || !nameLine) return false
  const name = displayName(profile)
  const initial = () => {
    const letter = document.createElement('b')
    letter.className = 'gs-boot__avatar gs-boot__avatar--initial'
    letter.style.background = avatarBackground(name)
    letter.textContent = avatarInitial(name)
    letter.setAttribute('aria-hidden', 'true')
    return letter
  }
  if (profile.avatar) {
    // Shown once it has loaded and decoded (the grey square until then): decoding it on the
    // way would hold her name back, and a letter swapped for a photo would flash.
    const image = document.createElement('img')
    image.className = 'gs-boot__avatar'
    image.width = 44
    image.height = 44
    image.alt = name
    image.referrerPolicy = 'no-referrer'
    image.src = profile.avatar
    image.decode().then(
      () => slot.isConnected && slot.replaceWith(image),
      () => slot.isConnected && slot.replaceWith(initial()),
    )
  } else {
    slot.replaceWith(initial())
  }
  const title = document.createElement('h1')
  title.className = 'gs-boot__name'
  title.textContent = name
  title.dataset.testid = 'customer-name'
  // The browser reports when her name is painted (tests/bench/name-paint.ts reads it).
  title.setAttribute('elementtiming', 'customer-name')
  nameLine.replaceWith(title)
  return true
}
