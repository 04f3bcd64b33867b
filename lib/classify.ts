import { TokenError } from 'fast-jwt'
import type { FailureKind } from '../types/index.js'
import { isJwtGuardError } from './errors.js'

const codes = TokenError.codes

/** fast-jwt's codes by failure kind. A code that is not listed here is `invalid`: default-deny. */
const FAST_JWT_KINDS: Readonly<Record<string, FailureKind>> = {
  [codes.expired]: 'expired',
  [codes.inactive]: 'inactive',
  [codes.malformed]: 'malformed',
  [codes.invalidPayload]: 'malformed',
  [codes.invalidSignature]: 'signature',
  [codes.missingSignature]: 'signature',
  [codes.invalidAlgorithm]: 'signature',
  [codes.invalidKey]: 'signature',
  [codes.verifyError]: 'signature',
  [codes.invalidType]: 'claims',
  [codes.invalidClaimType]: 'claims',
  [codes.invalidClaimValue]: 'claims',
  [codes.missingRequiredClaim]: 'claims',
  [codes.keyFetchingError]: 'unavailable',
  [codes.missingKey]: 'unavailable'
}

/** @fastify/jwt's own codes (its error classes live inside its closure, so codes are all we can match). */
const FASTIFY_JWT_KINDS: Readonly<Record<string, FailureKind>> = {
  FST_JWT_NO_AUTHORIZATION_IN_HEADER: 'missing',
  FST_JWT_NO_AUTHORIZATION_IN_COOKIE: 'missing',
  FST_JWT_BAD_REQUEST: 'bad_request',
  FST_JWT_BAD_COOKIE_REQUEST: 'bad_request',
  FST_JWT_AUTHORIZATION_TOKEN_EXPIRED: 'expired',
  FST_JWT_AUTHORIZATION_TOKEN_UNTRUSTED: 'untrusted',
  FST_JWT_AUTHORIZATION_TOKEN_INVALID: 'invalid'
}

/**
 * The failure kind of an error from the JWT stack (the guard, @fastify/jwt, fast-jwt), or null for
 * any other error. The error handler uses null to hand the error on untouched.
 */
export function jwtFailureKind (error: unknown): FailureKind | null {
  if (typeof error !== 'object' || error === null) return null
  if (isJwtGuardError(error)) return error.kind
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string') {
    // The guard's failures were matched above; its option error (a programmer's mistake) is not a token failure.
    if (code.startsWith('FST_JWT_GUARD_')) return null
    // fast-jwt wraps what the key function threw; that error may blame the token (an unknown kid), as below.
    const original = (error as { originalError?: unknown }).originalError
    if (code === codes.keyFetchingError && original !== undefined) return dependencyFailureKind(original)
    if (code.startsWith('FAST_JWT_')) return FAST_JWT_KINDS[code] ?? 'invalid'
    if (code.startsWith('FST_JWT_')) return FASTIFY_JWT_KINDS[code] ?? 'invalid'
  }
  // @fastify/jwt's app.jwt.verify(undefined) asserts instead of throwing one of its errors.
  if (code === 'ERR_ASSERTION' && (error as Error).message === 'missing token') return 'missing'
  return error instanceof TokenError ? 'invalid' : null
}

// get-jwks errors that describe the token (an unknown kid, an issuer not allowed), not an outage.
const GET_JWKS_TOKEN_FAULTS = new Set(['JWK_NOT_FOUND', 'DOMAIN_NOT_ALLOWED'])

/**
 * The kind of an error from an app dependency (secret function, `trusted`). An outage is
 * `unavailable` (503), but a dependency may also say the token is at fault — by throwing a JWT
 * error, an error with a 4xx `statusCode`, or get-jwks's "no matching key" — and then it is a 401:
 * otherwise any client could turn an unknown `kid` into a 503 and an error-level log line.
 */
export function dependencyFailureKind (error: unknown): FailureKind {
  const kind = jwtFailureKind(error)
  if (kind !== null) return kind
  if (typeof error !== 'object' || error === null) return 'unavailable'
  const { statusCode, status, name, code } = error as { statusCode?: unknown, status?: unknown, name?: unknown, code?: unknown }
  const httpStatus = typeof statusCode === 'number' ? statusCode : status
  if (typeof httpStatus === 'number' && httpStatus >= 400 && httpStatus < 500) return 'invalid'
  if (name === 'GetJwksError' && typeof code === 'string' && GET_JWKS_TOKEN_FAULTS.has(code)) return 'invalid'
  return 'unavailable'
}

/** The kind of anything thrown while verifying a token: never null, never a pass (default-deny). */
export function verificationFailureKind (error: unknown): FailureKind {
  return jwtFailureKind(error) ?? 'invalid'
}
