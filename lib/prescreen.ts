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
    return typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? payload as Record<string, unknown> : null
  } catch {
    return null
  }
}

/**
 * Cheap, throw-free checks that answer the commonest failures (garbage, expired, not yet valid)
 * without fast-jwt, whose failures throw. It can only reject: whatever it lets pass is verified
 * in full by fast-jwt. Each time check mirrors fast-jwt's validator for the same options; the one
 * rule stricter than fast-jwt is that `iat` must be a number whenever it is present.
 */
export function createPrescreen (options: TemporalOptions): Prescreen {
  const clockTimestamp = typeof options.clockTimestamp === 'number' && options.clockTimestamp > 0 ? options.clockTimestamp : null
  const tolerance = typeof options.clockTolerance === 'number' ? options.clockTolerance : 0
  // Truthiness, as fast-jwt reads them.
  const checkExp = !options.ignoreExpiration
  const checkNbf = !options.ignoreNotBefore
  const maxAge = typeof options.maxAge === 'number' ? options.maxAge : null

  return function prescreen (token) {
    if (!JWS_COMPACT.test(token)) return 'malformed'
    const payload = payloadOf(token)
    if (payload === null) return 'malformed' // not a JSON object: fast-jwt's decoder refuses it too (RFC 7519 §7.2)
    const { exp, nbf, iat } = payload
    // RFC 7519 §4.1.4-4.1.6: NumericDate or absent. fast-jwt checks iat only with maxAge; jose always.
    if (iat !== undefined && typeof iat !== 'number') return 'claims'
    if (checkExp && exp !== undefined && typeof exp !== 'number') return 'claims'
    if (checkNbf && nbf !== undefined && typeof nbf !== 'number') return 'claims'
    const now = clockTimestamp ?? Date.now()
    if (checkExp && typeof exp === 'number' && now > exp * 1000 + tolerance) return 'expired'
    if (maxAge !== null && typeof iat === 'number' && now > iat * 1000 + maxAge) return 'expired'
    if (checkNbf && typeof nbf === 'number' && now < nbf * 1000 - tolerance) return 'inactive'
    return null
  }
}
