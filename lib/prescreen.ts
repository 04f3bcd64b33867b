import type { FailureKind } from '../types/index.js'

// A JWS compact serialization: three base64url segments, the last one possibly empty. fast-jwt's
// decoder rejects every token that does not match, so a mismatch here is a certain rejection.
const JWS_COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/

export type Prescreen = (token: string) => FailureKind | null

interface TemporalOptions {
  clockTimestamp?: unknown
  clockTolerance?: unknown
  ignoreExpiration?: unknown
  ignoreNotBefore?: unknown
  maxAge?: unknown
}

function payloadOf (token: string): Record<string, unknown> | null {
  const first = token.indexOf('.')
  const segment = token.slice(first + 1, token.indexOf('.', first + 1))
  try {
    const payload: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'))
    return typeof payload === 'object' && payload !== null ? payload as Record<string, unknown> : null
  } catch {
    return null
  }
}

/**
 * Cheap, throw-free checks that answer the commonest failures (garbage, expired, not yet valid)
 * without fast-jwt, whose failures throw. It can only reject: whatever it lets pass is verified
 * in full by fast-jwt. Each time check mirrors fast-jwt's validator for the same options.
 */
export function createPrescreen (options: TemporalOptions): Prescreen {
  const clockTimestamp = typeof options.clockTimestamp === 'number' && options.clockTimestamp > 0 ? options.clockTimestamp : null
  const tolerance = typeof options.clockTolerance === 'number' ? options.clockTolerance : 0
  const checkExp = options.ignoreExpiration !== true
  const checkNbf = options.ignoreNotBefore !== true
  const maxAge = typeof options.maxAge === 'number' ? options.maxAge : null

  return function prescreen (token) {
    if (!JWS_COMPACT.test(token)) return 'malformed'
    const payload = payloadOf(token)
    if (payload === null) return null // fast-jwt names the failure
    const now = clockTimestamp ?? Date.now()
    const { exp, nbf, iat } = payload
    if (checkExp && typeof exp === 'number' && now > exp * 1000 + tolerance) return 'expired'
    if (maxAge !== null && typeof iat === 'number' && now > iat * 1000 + maxAge) return 'expired'
    if (checkNbf && typeof nbf === 'number' && now < nbf * 1000 - tolerance) return 'inactive'
    return null
  }
}
