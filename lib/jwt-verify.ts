import type { FastifyRequest } from 'fastify'
import { dependencyFailureKind } from './classify.js'
import { isJwtGuardError } from './errors.js'
import { markPublished, publishFailure } from './failure-event.js'
import type { Pipeline } from './pipeline.js'
import type { Failure, Renderer } from './reply.js'

type Callback = (error: unknown, user?: unknown) => void

interface JwtVerifyConfig {
  run: Pipeline
  renderer: Renderer
  /** @fastify/jwt's own request.jwtVerify, for calls with per-call options. */
  original: (this: FastifyRequest, options: unknown, next: Callback) => void
  decoratorName: string
  formatUser: ((claims: unknown) => unknown) | null
}

function hasOptions (options: unknown): boolean {
  return typeof options === 'object' && options !== null && Object.keys(options).length > 0
}

/**
 * `request.jwtVerify()` with @fastify/jwt's signature (promise or callback, optional per-call
 * options) and the guard's outcomes. Without options it runs the guard's pipeline, so it answers
 * exactly as `verifyJwt()` and `app.authenticate` do; with options it asks @fastify/jwt, whose
 * errors the guard's error handler renders. Either way it resolves to the user, as @fastify/jwt does.
 */
export function createJwtVerify (config: JwtVerifyConfig) {
  const { run, renderer, original, decoratorName, formatUser } = config

  function fail (request: FastifyRequest, failure: Failure): never {
    publishFailure(request, failure, 'jwtVerify')
    throw markPublished(renderer.error(failure))
  }

  async function viaGuard (request: FastifyRequest): Promise<unknown> {
    const outcome = await run(request)
    if (outcome.failure !== undefined) fail(request, outcome.failure)
    return (request as unknown as Record<string, unknown>)[decoratorName]
  }

  async function viaFastifyJwt (request: FastifyRequest, options: unknown): Promise<unknown> {
    // Callback style: in promise style @fastify/jwt calls request.jwtVerify by name, which is now this.
    const claims = await new Promise((resolve, reject) => {
      original.call(request, options, (error, result) => error ? reject(error) : resolve(result))
    }).catch((error: unknown) => {
      // Rendered here, so the answer does not depend on the guard's error handler being installed.
      if (isJwtGuardError(error)) {
        publishFailure(request, { kind: error.kind }, 'jwtVerify')
        throw markPublished(error)
      }
      fail(request, { kind: dependencyFailureKind(error), cause: error })
    })
    let user = claims
    if (formatUser !== null) {
      try {
        user = formatUser(claims)
      } catch (cause) {
        fail(request, { kind: 'unavailable', cause })
      }
    }
    (request as unknown as Record<string, unknown>)[decoratorName] = user
    return user
  }

  return function jwtVerify (this: FastifyRequest, options?: unknown, next?: unknown): Promise<unknown> | undefined {
    if (typeof options === 'function') {
      next = options
      options = undefined
    }
    const result = hasOptions(options) ? viaFastifyJwt(this, options) : viaGuard(this)
    if (typeof next !== 'function') return result
    // On the next tick, as fast-jwt does: a throw in the app's callback must not become a rejection here.
    const callback = next as Callback
    result.then((user) => process.nextTick(callback, null, user), (error: unknown) => process.nextTick(callback, error))
    return undefined
  }
}
