import type { FailureKind, JwtGuardErrorCode } from '../types/index.js'

/** One row of the reply contract: what a failure kind answers, whatever path it took. */
export interface FailureSpec {
  readonly code: JwtGuardErrorCode
  readonly status: 400 | 401 | 403 | 503
  /** RFC 6750 §3.1 `error` value; null where the challenge carries none. */
  readonly oauthError: 'invalid_request' | 'invalid_token' | 'insufficient_scope' | null
  /** Plain ASCII without quotes or backslashes: it goes into a quoted-string as it is. */
  readonly description: string
}

export const FAILURES: Readonly<Record<FailureKind, FailureSpec>> = Object.freeze({
  missing: { code: 'FST_JWT_GUARD_NO_TOKEN', status: 401, oauthError: null, description: 'No bearer token was found in the request' },
  bad_request: { code: 'FST_JWT_GUARD_BAD_REQUEST', status: 400, oauthError: 'invalid_request', description: 'The Authorization header must be: Bearer <token>' },
  expired: { code: 'FST_JWT_GUARD_TOKEN_EXPIRED', status: 401, oauthError: 'invalid_token', description: 'The token has expired' },
  inactive: { code: 'FST_JWT_GUARD_TOKEN_INACTIVE', status: 401, oauthError: 'invalid_token', description: 'The token is not valid yet' },
  malformed: { code: 'FST_JWT_GUARD_TOKEN_MALFORMED', status: 401, oauthError: 'invalid_token', description: 'The token is malformed' },
  signature: { code: 'FST_JWT_GUARD_TOKEN_SIGNATURE_INVALID', status: 401, oauthError: 'invalid_token', description: 'The token signature or algorithm is invalid' },
  claims: { code: 'FST_JWT_GUARD_TOKEN_CLAIMS_INVALID', status: 401, oauthError: 'invalid_token', description: 'The token claims are invalid' },
  untrusted: { code: 'FST_JWT_GUARD_TOKEN_UNTRUSTED', status: 401, oauthError: 'invalid_token', description: 'The token is not trusted' },
  invalid: { code: 'FST_JWT_GUARD_TOKEN_INVALID', status: 401, oauthError: 'invalid_token', description: 'The token is invalid' },
  insufficient_scope: { code: 'FST_JWT_GUARD_INSUFFICIENT_SCOPE', status: 403, oauthError: 'insufficient_scope', description: 'The token does not grant the scope this route requires' },
  forbidden: { code: 'FST_JWT_GUARD_FORBIDDEN', status: 403, oauthError: 'insufficient_scope', description: 'The token does not grant access to this route' },
  unavailable: { code: 'FST_JWT_GUARD_UNAVAILABLE', status: 503, oauthError: null, description: 'Authentication is temporarily unavailable' }
})

export const FAILURE_KINDS = Object.keys(FAILURES) as FailureKind[]

/** Seconds a client should wait before retrying after a 503. */
export const RETRY_AFTER_SECONDS = 5
