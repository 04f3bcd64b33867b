import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createGuardError, errorCodes, isJwtGuardError, OptionError } from '../lib/errors.js'

test('guard errors carry code, statusCode, kind and headers, and no stack trace', () => {
  const error = createGuardError('expired', 'The token has expired', { 'www-authenticate': 'Bearer realm="api"' })
  assert.equal(error.code, 'FST_JWT_GUARD_TOKEN_EXPIRED')
  assert.equal(error.statusCode, 401)
  assert.equal(error.kind, 'expired')
  assert.equal(error.message, 'The token has expired')
  assert.deepEqual(error.headers, { 'www-authenticate': 'Bearer realm="api"' })
  assert.equal(error.stack, undefined)
  assert.ok(error instanceof Error)
  assert.ok(isJwtGuardError(error))
})

test('a guard error for a failing dependency keeps the cause', () => {
  const cause = new Error('kms down')
  const error = createGuardError('unavailable', 'm', { 'retry-after': '5' }, cause)
  assert.equal(error.cause, cause)
  assert.equal(error.statusCode, 503)
})

test('isJwtGuardError is false for anything else, including look-alikes', () => {
  assert.equal(isJwtGuardError(Object.assign(new Error('x'), { code: 'FST_JWT_GUARD_TOKEN_EXPIRED', kind: 'expired' })), false)
  assert.equal(isJwtGuardError(null), false)
  assert.equal(isJwtGuardError('FST_JWT_GUARD_TOKEN_EXPIRED'), false)
})

test('errorCodes lists one stable code per failure kind', () => {
  assert.deepEqual(errorCodes, {
    missing: 'FST_JWT_GUARD_NO_TOKEN',
    bad_request: 'FST_JWT_GUARD_BAD_REQUEST',
    expired: 'FST_JWT_GUARD_TOKEN_EXPIRED',
    inactive: 'FST_JWT_GUARD_TOKEN_INACTIVE',
    malformed: 'FST_JWT_GUARD_TOKEN_MALFORMED',
    signature: 'FST_JWT_GUARD_TOKEN_SIGNATURE_INVALID',
    claims: 'FST_JWT_GUARD_TOKEN_CLAIMS_INVALID',
    untrusted: 'FST_JWT_GUARD_TOKEN_UNTRUSTED',
    invalid: 'FST_JWT_GUARD_TOKEN_INVALID',
    insufficient_scope: 'FST_JWT_GUARD_INSUFFICIENT_SCOPE',
    forbidden: 'FST_JWT_GUARD_FORBIDDEN',
    unavailable: 'FST_JWT_GUARD_UNAVAILABLE'
  })
  assert.ok(Object.isFrozen(errorCodes))
})

test('option errors name the plugin', () => {
  const error = new OptionError('"x" option is wrong')
  assert.equal(error.code, 'FST_JWT_GUARD_INVALID_OPTION')
  assert.equal(error.message, 'fastify-jwt-guard: "x" option is wrong')
})
