import type { FastifyRequest } from 'fastify'
import { decide, type Guard } from './decide.js'
import { OptionError } from './errors.js'
import { markPublished, publishFailure } from './failure-event.js'
import { compilePolicy, REQUIRED } from './policy.js'

/**
 * `request.verifyJwt(options?)`: resolves to the claims (null when `optional` and there are no
 * credentials), or rejects with a guard error that carries status and headers. Only its own
 * options apply, not the route's `config.jwt`.
 */
export function createVerifyJwt (guard: Guard) {
  return async function verifyJwt (this: FastifyRequest, options?: unknown): Promise<unknown> {
    if (options !== undefined && (typeof options !== 'object' || options === null)) {
      throw new OptionError(`request.verifyJwt() takes an options object, got ${options === null ? 'null' : typeof options}`)
    }
    const policy = options === undefined ? REQUIRED : compilePolicy(options, '', 'of request.verifyJwt()')
    const decision = await decide(guard, this, policy)
    if (decision.failure === undefined) return decision.claims
    publishFailure(this, decision.failure, 'verifyJwt')
    throw markPublished(guard.renderer.error(decision.failure))
  }
}
