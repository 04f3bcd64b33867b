import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import jwtGuard from '../../lib/index.js'
import type { JwtGuardOptions } from '../../types/index.js'

/** A Fastify app with the guard, `/hook` behind app.authenticate and `/inline` calling request.verifyJwt(). */
export async function guardedApp (options: JwtGuardOptions, fastifyOptions: FastifyServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify(fastifyOptions)
  await app.register(jwtGuard, options)
  app.get('/hook', { onRequest: app.authenticate }, async (request) => ({ user: request.user }))
  app.get('/inline', async (request) => ({ claims: await request.verifyJwt() }))
  return app
}

export function bearer (token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` }
}
