import type { FastifyRequest } from 'fastify'
import { OptionError } from './errors.js'

export type AllowPredicate = (claims: unknown, request: FastifyRequest) => unknown

/**
 * What a route (or one `verifyJwt()` call) asks of the request's token:
 * - `unset`: the route says nothing (`app.authenticate` requires a token; the global hook does too, in global mode);
 * - `public`: `config: { jwt: false }`, no check at all;
 * - `required` / `optional`: a token must be valid, or (optional) may be absent.
 */
export interface Policy {
  readonly mode: 'unset' | 'public' | 'required' | 'optional'
  /** Every one of these scopes is required. */
  readonly scopes: readonly string[]
  /** At least one of these scopes is required, when not empty. */
  readonly anyScope: readonly string[]
  readonly allow: AllowPredicate | null
}

const POLICY_KEYS = new Set(['optional', 'scopes', 'anyScope', 'allow'])
// RFC 6749 §3.3 scope-token: printable ASCII except space, `"` and `\`, so it can go into the challenge as is.
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/

const NONE: readonly string[] = Object.freeze([])
export const UNSET: Policy = Object.freeze({ mode: 'unset', scopes: NONE, anyScope: NONE, allow: null })
export const PUBLIC: Policy = Object.freeze({ mode: 'public', scopes: NONE, anyScope: NONE, allow: null })
export const REQUIRED: Policy = Object.freeze({ mode: 'required', scopes: NONE, anyScope: NONE, allow: null })

function scopeList (value: unknown, name: string, where: string): readonly string[] {
  if (value === undefined) return NONE
  if (!Array.isArray(value) || value.length === 0 || !value.every((s) => typeof s === 'string' && SCOPE_TOKEN.test(s))) {
    throw new OptionError(`"${name}" option ${where} must be a non-empty array of scope tokens (printable ASCII, no spaces or quotes), got ${JSON.stringify(value)}`)
  }
  return Object.freeze([...new Set(value as string[])])
}

/**
 * Validates and freezes a policy: a route's `config.jwt` (`name` is `config.jwt`) or the options of
 * `verifyJwt()` (`name` is empty). `where` names the place for the error message, such as `of route GET /orders`.
 * A typo (`scope` for `scopes`) would silently drop a requirement, so unknown keys are refused.
 */
export function compilePolicy (value: unknown, name: string, where: string): Policy {
  if (value === undefined) return UNSET
  if (value === false) return PUBLIC
  if (value === true) return REQUIRED
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OptionError(`"${name}" option ${where} must be false, true or an object, got ${JSON.stringify(value) ?? typeof value}`)
  }
  const spec = value as Record<string, unknown>
  const key = (k: string): string => name === '' ? k : `${name}.${k}`
  for (const k of Object.keys(spec)) {
    if (!POLICY_KEYS.has(k)) throw new OptionError(`unknown option "${key(k)}" ${where}; it takes ${[...POLICY_KEYS].join(', ')}`)
  }
  if (spec.optional !== undefined && typeof spec.optional !== 'boolean') {
    throw new OptionError(`"${key('optional')}" option ${where} must be a boolean, got ${typeof spec.optional}`)
  }
  if (spec.allow !== undefined && typeof spec.allow !== 'function') {
    throw new OptionError(`"${key('allow')}" option ${where} must be a function, got ${typeof spec.allow}`)
  }
  // An anonymous request skips every check of the token, so a client refused by them could drop its token and get in.
  if (spec.optional === true && (spec.scopes !== undefined || spec.anyScope !== undefined || spec.allow !== undefined)) {
    throw new OptionError(`"${key('optional')}" option ${where} cannot be combined with scopes, anyScope or allow: a request without a token would skip them`)
  }
  return Object.freeze({
    mode: spec.optional === true ? 'optional' : 'required',
    scopes: scopeList(spec.scopes, key('scopes'), where),
    anyScope: scopeList(spec.anyScope, key('anyScope'), where),
    allow: (spec.allow as AllowPredicate | undefined) ?? null
  })
}

/** Where a route's policy is written, for error messages. */
export function routeLabel (method: string | string[], url: string): string {
  return `${Array.isArray(method) ? method.join(',') : method} ${url}`
}

// Keyed by the route's config object, which Fastify creates once per route.
const routePolicies = new WeakMap<object, Policy>()

/**
 * The policy of the route a request matched. Routes the guard saw being added were checked at
 * start-up; a route added before the guard is compiled on its first request, and a mistake there
 * throws (the app's 500), never a pass.
 */
export function policyOfRequest (request: FastifyRequest): Policy {
  const config = request.routeOptions.config as { jwt?: unknown, method?: string | string[], url?: string } | undefined
  if (config === undefined) return UNSET // Fastify's own not-found context has no config
  let policy = routePolicies.get(config)
  if (policy === undefined) {
    policy = compilePolicy(config.jwt, 'config.jwt', `of route ${routeLabel(config.method ?? request.method, config.url ?? request.url)}`)
    routePolicies.set(config, policy)
  }
  return policy
}
