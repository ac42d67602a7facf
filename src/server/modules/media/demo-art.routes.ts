import type { FastifyPluginAsync } from 'fastify'
import { avatarSvg, garmentSvg, isGarmentCategory } from './demo-art'

const FOREVER = 'public, max-age=31536000, immutable'

/** Demo pictures (products and avatars): the demo must not need the network. */
export const demoArtRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Params: { spec: string } }>('/media/demo/garment/:spec', async (request, reply) => {
    // <category>-<variant>-<hex>.svg, or …-detail.svg for the close-up.
    const match = /^([a-z]+)-(\d)-([0-9a-f]{6})(-detail)?\.svg$/.exec(request.params.spec)
    if (!match || !isGarmentCategory(match[1]!)) {
      return reply.status(404).send({ error: { code: 'not_found', message: 'No such picture' } })
    }
    return reply
      .type('image/svg+xml')
      .header('cache-control', FOREVER)
      .send(garmentSvg(match[1]!, Number(match[2]), `#${match[3]}`, match[4] !== undefined))
  })

  app.get<{ Params: { seed: string } }>('/media/demo/avatar/:seed', async (request, reply) => {
    const match = /^([A-Za-z0-9_.@-]{1,64})\.svg$/.exec(request.params.seed)
    if (!match) return reply.status(404).send({ error: { code: 'not_found', message: 'No such picture' } })
    return reply.type('image/svg+xml').header('cache-control', FOREVER).send(avatarSvg(match[1]!))
  })
}
