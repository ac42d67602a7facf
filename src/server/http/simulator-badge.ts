/**
 * In simulator mode every page says so: anyone who can reach a simulator can sign in as
 * any guide, so nobody should mistake one for the real sidebar or a customer's real page.
 * The badge goes into every HTML page the server sends (the app shell, the customer's
 * coupon and lookbook pages, sign-in errors), just before </body>.
 */
import type { FastifyInstance } from 'fastify'

export const SIMULATOR_BADGE_TEXT = '模拟器 · Simulator'

// Inline styles only: the pages load no stylesheet of ours we could rely on. Clicks pass
// through, so it never covers a button.
export const SIMULATOR_BADGE =
  '<div id="gs-simulator-badge" role="note" aria-label="Simulator mode" style="position:fixed;top:0;right:0;z-index:2147483647;' +
  'pointer-events:none;padding:1px 6px;font:11px/16px -apple-system,&quot;PingFang SC&quot;,sans-serif;color:#fff;' +
  `background:rgba(250,140,22,.9);border-bottom-left-radius:4px">${SIMULATOR_BADGE_TEXT}</div>`

export function withSimulatorBadge(html: string): string {
  if (html.includes('id="gs-simulator-badge"')) return html
  const at = html.search(/<\/body>/i)
  return at === -1 ? html + SIMULATOR_BADGE : html.slice(0, at) + SIMULATOR_BADGE + html.slice(at)
}

export function registerSimulatorBadge(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    const type = String(reply.getHeader('content-type') ?? '')
    if (!type.startsWith('text/html')) return payload
    if (typeof payload === 'string') return withSimulatorBadge(payload)
    if (Buffer.isBuffer(payload)) return withSimulatorBadge(payload.toString('utf8'))
    return payload
  })
}
