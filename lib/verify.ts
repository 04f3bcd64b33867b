import type { FastifyRequest } from 'fastify'
import type { Pipeline } from './pipeline.js'
import type { Renderer } from './reply.js'

/** `request.verifyJwt()`: resolves to the claims, or rejects with a guard error that carries status and headers. */
export function createVerifyJwt (run: Pipeline, renderer: Renderer) {
  return async function verifyJwt (this: FastifyRequest): Promise<unknown> {
    const outcome = await run(this)
    if (outcome.failure !== undefined) throw renderer.error(outcome.failure)
    return outcome.claims
  }
}
