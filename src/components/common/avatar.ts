/**
 * A picture-less avatar: the first letter of the name on a colour of its own. Shared by
 * GsAvatar and the header src/main.ts draws before the app has come, so both look alike.
 */
export function avatarInitial(name: string): string {
  return Array.from(name.trim())[0] ?? '?'
}

/** One hue per name, the same on every screen and every visit. */
export function avatarHue(name: string): number {
  let h = 0
  for (const ch of name) h = (h * 31 + (ch.codePointAt(0) ?? 0)) % 360
  return h
}

export function avatarBackground(name: string): string {
  return `hsl(${avatarHue(name)} 45% 62%)`
}
