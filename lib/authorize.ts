import type { FastifyRequest } from 'fastify'
import type { Policy } from './policy.js'
import type { Failure } from './reply.js'

/** The claims that grant scopes, in the order OAuth servers use them (RFC 8693/9068 `scope`, Azure/Okta `scp`, Auth0 `permissions`). */
export const DEFAULT_SCOPE_CLAIMS: readonly string[] = Object.freeze(['scope', 'scp', 'permissions'])

/** The scopes a token grants: a space-delimited string or an array of strings, in any of `claimNames`. */
export function grantedScopes (payload: unknown, claimNames: readonly string[]): Set<string> {
  const granted = new Set<string>()
  if (typeof payload !== 'object' || payload === null) return granted
  for (const name of claimNames) {
    const value = (payload as Record<string, unknown>)[name]
    const list = typeof value === 'string' ? value.split(' ') : Array.isArray(value) ? value : []
    for (const scope of list) if (typeof scope === 'string' && scope !== '') granted.add(scope)
  }
  return granted
}

const FORBIDDEN: Failure = Object.freeze({ kind: 'forbidden' })

export type Authorizer = (policy: Policy, claims: unknown, request: FastifyRequest) => Failure | null | Promise<Failure | null>

export interface AuthorizerConfig {
  scopeClaims: readonly string[]
  /** `verify.complete`: the claims are `{ header, payload, signature }`, scopes are in `payload`. */
  complete: boolean
}

/**
 * Checks a verified token's payload against a route's scopes and `allow` predicate. Only `true` from the
 * predicate allows: a forgotten `return` is a 403, not a pass. A predicate that throws is app code
 * failing, so its error propagates (the app's 500), never a pass.
 */
export function createAuthorizer (config: AuthorizerConfig): Authorizer {
  const { scopeClaims, complete } = config

  function scopeFailure (policy: Policy, payload: unknown): Failure | null {
    if (policy.scopes.length === 0 && policy.anyScope.length === 0) return null
    const granted = grantedScopes(payload, scopeClaims)
    const hasAll = policy.scopes.every((scope) => granted.has(scope))
    const hasAny = policy.anyScope.length === 0 || policy.anyScope.some((scope) => granted.has(scope))
    if (hasAll && hasAny) return null
    return { kind: 'insufficient_scope', scopes: hasAny ? policy.scopes : [...new Set([...policy.scopes, ...policy.anyScope])] }
  }

  return function authorize (policy, claims, request) {
    // Scopes and `allow` see the payload, whatever `verify.complete` makes verifyJwt() resolve to.
    const payload = complete ? (claims as { payload?: unknown } | null)?.payload : claims
    const failure = scopeFailure(policy, payload)
    if (failure !== null || policy.allow === null) return failure
    const allowed = policy.allow(payload, request)
    if (allowed === true) return null
    if (typeof (allowed as PromiseLike<unknown> | null)?.then !== 'function') return FORBIDDEN
    return Promise.resolve(allowed).then((value) => value === true ? null : FORBIDDEN)
  }
}
