import type { FastifyReply, FastifyRequest } from 'fastify'
import { decide, isPreflight, type Guard } from './decide.js'
import { markPublished, publishFailure } from './failure-event.js'
import { policyOfRequest } from './policy.js'

/**
 * The onRequest/preHandler hook: applies the route's policy and replies itself on failure, so no
 * error handler can change the answer. `unsetIsPublic`: a route without `config.jwt` is left alone
 * (the guard's scope hook outside global mode); otherwise it requires a valid token.
 */
function createHook (guard: Guard, passed: WeakSet<FastifyRequest>, unsetIsPublic: boolean) {
  return async function authenticate (request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (reply.sent || passed.has(request) || isPreflight(request)) return
    const policy = policyOfRequest(request)
    if (policy.mode === 'public' || (unsetIsPublic && policy.mode === 'unset')) return
    const decision = await decide(guard, request, policy)
    if (decision.failure === undefined) {
      passed.add(request)
      return
    }
    publishFailure(request, decision.failure, 'hook')
    return guard.renderer.send(request, reply, decision.failure)
  }
}

/**
 * The hooks of one registration. They share the set of requests that passed, so a second hook on the
 * same route (the global one and an explicit app.authenticate) does not verify again.
 */
export function createHooks (guard: Guard, global: boolean) {
  const passed = new WeakSet<FastifyRequest>()
  const scopeHook = createHook(guard, passed, !global)
  return {
    /** `app.authenticate`: requires a valid token unless the route's `config.jwt` says otherwise. */
    authenticate: createHook(guard, passed, false),
    /**
     * The hook the guard adds to its scope: in global mode every route requires a token unless it opts
     * out; otherwise only routes with a `config.jwt` policy are checked (a policy must never be ignored
     * because a route forgot `app.authenticate`). The not-found handler is left to answer 404.
     * async: Fastify waits for a `done` callback when a hook returns no promise.
     */
    scopeHook: async function jwtGuardScopeHook (request: FastifyRequest, reply: FastifyReply): Promise<void> {
      if (request.is404) return
      return scopeHook(request, reply)
    },
    strategy: createAuthenticateStrategy(guard, passed)
  }
}

/** The @fastify/auth strategy: the same check, rejecting with the guard error instead of replying. */
function createAuthenticateStrategy (guard: Guard, passed: WeakSet<FastifyRequest>) {
  return async function authenticateStrategy (request: FastifyRequest): Promise<void> {
    if (passed.has(request) || isPreflight(request)) return
    const policy = policyOfRequest(request)
    if (policy.mode === 'public') return
    const decision = await decide(guard, request, policy)
    if (decision.failure === undefined) {
      passed.add(request)
      return
    }
    publishFailure(request, decision.failure, 'strategy')
    throw markPublished(guard.renderer.error(decision.failure))
  }
}
