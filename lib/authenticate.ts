import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Pipeline } from './pipeline.js'
import type { Renderer } from './reply.js'

/** The onRequest/preHandler hook: replies itself on failure, so no error handler can change the answer. */
export function createAuthenticate (run: Pipeline, renderer: Renderer) {
  return async function authenticate (request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const outcome = await run(request)
    if (outcome.failure !== undefined) renderer.send(request, reply, outcome.failure)
  }
}

/** The @fastify/auth strategy: the same check, rejecting with the guard error instead of replying. */
export function createAuthenticateStrategy (run: Pipeline, renderer: Renderer) {
  return async function authenticateStrategy (request: FastifyRequest): Promise<void> {
    const outcome = await run(request)
    if (outcome.failure !== undefined) throw renderer.error(outcome.failure)
  }
}
