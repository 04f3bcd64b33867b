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
    if (code.startsWith('FAST_JWT_')) return FAST_JWT_KINDS[code] ?? 'invalid'
    if (code.startsWith('FST_JWT_')) return FASTIFY_JWT_KINDS[code] ?? 'invalid'
  }
  return error instanceof TokenError ? 'invalid' : null
}

/** The kind of anything thrown while verifying a token: never null, never a pass (default-deny). */
export function verificationFailureKind (error: unknown): FailureKind {
  return jwtFailureKind(error) ?? 'invalid'
}
