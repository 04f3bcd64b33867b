import assert from 'node:assert/strict'
import type { FailureKind } from '../../types/index.js'
import type { Answer } from './transport.js'

/**
 * The reply contract, written out by hand (not imported from lib/): a change to a status,
 * header or body has to be made here too, on purpose.
 */
export const CONTRACT: Record<FailureKind, { status: number, code: string, challenge: string | null, message: string }> = {
  missing: { status: 401, code: 'FST_JWT_GUARD_NO_TOKEN', challenge: 'Bearer realm="api"', message: 'No bearer token was found in the request' },
  bad_request: { status: 400, code: 'FST_JWT_GUARD_BAD_REQUEST', challenge: 'Bearer realm="api", error="invalid_request", error_description="The Authorization header must be: Bearer <token>"', message: 'The Authorization header must be: Bearer <token>' },
  expired: { status: 401, code: 'FST_JWT_GUARD_TOKEN_EXPIRED', challenge: 'Bearer realm="api", error="invalid_token", error_description="The token has expired"', message: 'The token has expired' },
  inactive: { status: 401, code: 'FST_JWT_GUARD_TOKEN_INACTIVE', challenge: 'Bearer realm="api", error="invalid_token", error_description="The token is not valid yet"', message: 'The token is not valid yet' },
  malformed: { status: 401, code: 'FST_JWT_GUARD_TOKEN_MALFORMED', challenge: 'Bearer realm="api", error="invalid_token", error_description="The token is malformed"', message: 'The token is malformed' },
  signature: { status: 401, code: 'FST_JWT_GUARD_TOKEN_SIGNATURE_INVALID', challenge: 'Bearer realm="api", error="invalid_token", error_description="The token signature or algorithm is invalid"', message: 'The token signature or algorithm is invalid' },
  claims: { status: 401, code: 'FST_JWT_GUARD_TOKEN_CLAIMS_INVALID', challenge: 'Bearer realm="api", error="invalid_token", error_description="The token claims are invalid"', message: 'The token claims are invalid' },
  untrusted: { status: 401, code: 'FST_JWT_GUARD_TOKEN_UNTRUSTED', challenge: 'Bearer realm="api", error="invalid_token", error_description="The token is not trusted"', message: 'The token is not trusted' },
  invalid: { status: 401, code: 'FST_JWT_GUARD_TOKEN_INVALID', challenge: 'Bearer realm="api", error="invalid_token", error_description="The token is invalid"', message: 'The token is invalid' },
  insufficient_scope: { status: 403, code: 'FST_JWT_GUARD_INSUFFICIENT_SCOPE', challenge: 'Bearer realm="api", error="insufficient_scope", error_description="The token does not grant the scope this route requires"', message: 'The token does not grant the scope this route requires' },
  forbidden: { status: 403, code: 'FST_JWT_GUARD_FORBIDDEN', challenge: 'Bearer realm="api", error="insufficient_scope", error_description="The token does not grant access to this route"', message: 'The token does not grant access to this route' },
  unavailable: { status: 503, code: 'FST_JWT_GUARD_UNAVAILABLE', challenge: null, message: 'Authentication is temporarily unavailable' }
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 503: 'Service Unavailable' }

/** The exact body bytes of a failure reply. */
export function expectedBody (kind: FailureKind): string {
  const c = CONTRACT[kind]
  return JSON.stringify({ statusCode: c.status, code: c.code, error: REASONS[c.status], message: c.message })
}

/** The challenge of a failure; a 403 for scopes names them. */
export function expectedChallenge (kind: FailureKind, scopes: readonly string[] = []): string | undefined {
  const challenge = CONTRACT[kind].challenge
  if (challenge === null) return undefined
  return scopes.length === 0 ? challenge : `${challenge}, scope="${scopes.join(' ')}"`
}

/** Asserts status, WWW-Authenticate, Retry-After, content type and the body, byte for byte. */
export function assertFailureReply (answer: Answer, kind: FailureKind, context: string, scopes: readonly string[] = []): void {
  const c = CONTRACT[kind]
  assert.equal(answer.status, c.status, `${context}: status`)
  assert.equal(answer.headers['www-authenticate'], expectedChallenge(kind, scopes), `${context}: www-authenticate`)
  assert.equal(answer.headers['retry-after'], kind === 'unavailable' ? '5' : undefined, `${context}: retry-after`)
  assert.equal(answer.headers['content-type'], 'application/json; charset=utf-8', `${context}: content-type`)
  assert.equal(answer.body, expectedBody(kind), `${context}: body`)
}
