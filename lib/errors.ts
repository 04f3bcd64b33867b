import createError from '@fastify/error'
import type { FastifyErrorConstructor } from '@fastify/error'
import type { FailureKind, JwtGuardError, JwtGuardErrorCode } from '../types/index.js'
import { FAILURES, FAILURE_KINDS } from './failures.js'

const kKind = Symbol('fastify-jwt-guard.kind')

// Auth failures are expected, frequent and attacker-driven: no stack trace (last argument false).
const constructors = Object.fromEntries(FAILURE_KINDS.map((kind) => {
  const spec = FAILURES[kind]
  return [kind, createError(spec.code, '%s', spec.status, Error, false)]
})) as Record<FailureKind, FastifyErrorConstructor>

/** Configuration mistakes do get a stack: they are rare and the developer wants to see where. */
export const OptionError = createError('FST_JWT_GUARD_INVALID_OPTION', 'fastify-jwt-guard: %s', 500)

export const errorCodes: Readonly<Record<FailureKind, JwtGuardErrorCode>> = Object.freeze(
  Object.fromEntries(FAILURE_KINDS.map((kind) => [kind, FAILURES[kind].code])) as Record<FailureKind, JwtGuardErrorCode>
)

/** The error `verifyJwt()` rejects with: status and headers on it, so any handler that honours them replies right. */
export function createGuardError (kind: FailureKind, message: string, headers: Record<string, string>, cause?: unknown, requiredScopes: readonly string[] = []): JwtGuardError {
  const error = (cause === undefined
    ? new constructors[kind](message)
    : new constructors[kind](message, { cause })) as JwtGuardError
  error.kind = kind
  error.headers = headers
  if (kind === 'insufficient_scope') error.requiredScopes = requiredScopes
  Object.defineProperty(error, kKind, { value: kind })
  return error
}

export function isJwtGuardError (error: unknown): error is JwtGuardError {
  return typeof error === 'object' && error !== null && kKind in error
}
