import type { FastifyRequest } from 'fastify'
import type { Authorizer } from './authorize.js'
import type { Pipeline } from './pipeline.js'
import type { Policy } from './policy.js'
import type { Failure, Renderer } from './reply.js'

/** What every entry point (hook, strategy, verifyJwt) shares. */
export interface Guard {
  readonly run: Pipeline
  readonly authorize: Authorizer
  readonly renderer: Renderer
}

/** The claims the request may go on with (null: anonymous on an optional route), or why not. */
export type Decision = { readonly claims: unknown, readonly failure?: undefined } | { readonly failure: Failure }

const ANONYMOUS: Decision = Object.freeze({ claims: null })

/**
 * Verifies the token, then checks it against the policy. Only the absence of credentials makes an
 * optional route anonymous: a token that is present and bad is refused as anywhere else (the trap
 * of @fastify/jwt issue 283, where any failure became anonymous).
 */
export async function decide (guard: Guard, request: FastifyRequest, policy: Policy): Promise<Decision> {
  const outcome = await guard.run(request)
  if (outcome.failure !== undefined) {
    return outcome.failure.kind === 'missing' && policy.mode === 'optional' ? ANONYMOUS : outcome
  }
  const failure = await guard.authorize(policy, outcome.claims, request)
  return failure === null ? outcome : { failure }
}

/**
 * A CORS preflight never carries credentials (Fetch standard): challenging it would break CORS. It is
 * exempt only on a route that serves nothing but OPTIONS (@fastify/cors's, or the app's preflight
 * route): on a route whose handler also serves other methods (`app.all`, `['GET', 'OPTIONS']`), two
 * request headers anyone can send must not skip the check.
 */
export function isPreflight (request: FastifyRequest): boolean {
  if (request.method !== 'OPTIONS') return false
  const headers = request.headers
  if (headers.origin === undefined || headers['access-control-request-method'] === undefined) return false
  const method = request.routeOptions.method
  return method === 'OPTIONS' || (Array.isArray(method) && method.length === 1 && method[0] === 'OPTIONS')
}
