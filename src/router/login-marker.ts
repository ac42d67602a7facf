/**
 * After WeCom's sign-in the callback sends us back with `gs_login=1` in the query. If we
 * still have no session at that point (cookies blocked, clock skew), going round again
 * would loop forever; the marker lets us show a page with a retry instead. It is removed
 * from the address bar before the JS-SDK signs the URL.
 */
export const LOGIN_MARKER = 'gs_login'

export function consumeLoginMarker(): boolean {
  const url = new URL(window.location.href)
  if (!url.searchParams.has(LOGIN_MARKER)) return false
  url.searchParams.delete(LOGIN_MARKER)
  window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash)
  return true
}

/** The current address plus the marker, as the place to return to after sign-in. */
export function returnPathWithMarker(location: Location): string {
  const params = new URLSearchParams(location.search)
  params.set(LOGIN_MARKER, '1')
  return `${location.pathname}?${params.toString()}${location.hash}`
}
