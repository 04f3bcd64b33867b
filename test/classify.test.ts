import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { TokenError } from 'fast-jwt'
import createError from '@fastify/error'
import { dependencyFailureKind, jwtFailureKind, verificationFailureKind } from '../lib/classify.js'
import { createGuardError, OptionError } from '../lib/errors.js'

/** Every fast-jwt code, with the kind the guard answers it with. A code added to fast-jwt fails this test. */
const FAST_JWT: Record<keyof typeof TokenError.codes, string> = {
  invalidType: 'claims',
  invalidOption: 'invalid',
  invalidAlgorithm: 'signature',
  invalidClaimType: 'claims',
  invalidClaimValue: 'claims',
  invalidKey: 'signature',
  invalidSignature: 'signature',
  invalidPayload: 'malformed',
  malformed: 'malformed',
  inactive: 'inactive',
  expired: 'expired',
  missingKey: 'unavailable',
  keyFetchingError: 'unavailable',
  signError: 'invalid',
  verifyError: 'signature',
  missingRequiredClaim: 'claims',
  missingSignature: 'signature',
  invalidCritHeader: 'invalid'
}

describe('fast-jwt TokenError codes', () => {
  test('the table above lists every code fast-jwt has', () => {
    assert.deepEqual(Object.keys(FAST_JWT).sort(), Object.keys(TokenError.codes).sort())
  })
  for (const [name, kind] of Object.entries(FAST_JWT)) {
    const code = TokenError.codes[name as keyof typeof TokenError.codes]
    test(`${code} is ${kind}`, () => {
      assert.equal(jwtFailureKind(new TokenError(code, 'upstream message')), kind)
    })
  }
  test('a fast-jwt code unknown today is invalid (default-deny)', () => {
    assert.equal(jwtFailureKind(new TokenError('FAST_JWT_ADDED_TOMORROW' as never, 'x')), 'invalid')
  })
  test('a TokenError without a code is invalid', () => {
    const error = new TokenError('FAST_JWT_MALFORMED', 'x')
    ;(error as { code?: unknown }).code = undefined
    assert.equal(jwtFailureKind(error), 'invalid')
  })
})

describe('@fastify/jwt error codes', () => {
  const cases: Array<[string, number, string]> = [
    ['FST_JWT_NO_AUTHORIZATION_IN_HEADER', 401, 'missing'],
    ['FST_JWT_NO_AUTHORIZATION_IN_COOKIE', 401, 'missing'],
    ['FST_JWT_BAD_REQUEST', 400, 'bad_request'],
    ['FST_JWT_BAD_COOKIE_REQUEST', 400, 'bad_request'],
    ['FST_JWT_AUTHORIZATION_TOKEN_EXPIRED', 401, 'expired'],
    ['FST_JWT_AUTHORIZATION_TOKEN_UNTRUSTED', 401, 'untrusted'],
    ['FST_JWT_AUTHORIZATION_TOKEN_INVALID', 401, 'invalid'],
    ['FST_JWT_SOMETHING_NEW', 401, 'invalid']
  ]
  for (const [code, status, kind] of cases) {
    test(`${code} is ${kind}`, () => {
      const FastifyJwtError = createError(code, 'm', status)
      assert.equal(jwtFailureKind(new FastifyJwtError()), kind)
    })
  }
})

describe('other errors', () => {
  test('a guard error keeps its kind', () => {
    assert.equal(jwtFailureKind(createGuardError('expired', 'm', {})), 'expired')
  })
  test('an app error is not a JWT failure: the error handler hands it on', () => {
    assert.equal(jwtFailureKind(new Error('db down')), null)
    assert.equal(jwtFailureKind(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })), null)
    assert.equal(jwtFailureKind(Object.assign(new Error('x'), { code: 42 })), null)
    assert.equal(jwtFailureKind('a string'), null)
    assert.equal(jwtFailureKind(null), null)
    assert.equal(jwtFailureKind(undefined), null)
  })
  test('the guard\'s option error is a programmer\'s mistake, not a token failure (found by verifyJwt({ scope }))', () => {
    assert.equal(jwtFailureKind(new OptionError('"x" option is wrong')), null)
  })
  test('anything thrown while verifying a token is a failure: never null, never a pass', () => {
    assert.equal(verificationFailureKind(new TypeError('a bug')), 'invalid')
    assert.equal(verificationFailureKind(undefined), 'invalid')
    assert.equal(verificationFailureKind(new TokenError(TokenError.codes.expired, 'x')), 'expired')
  })
})

describe('errors from the app\'s dependencies', () => {
  test('an outage is unavailable', () => {
    assert.equal(dependencyFailureKind(new Error('ECONNREFUSED')), 'unavailable')
    assert.equal(dependencyFailureKind(Object.assign(new Error('x'), { statusCode: 502 })), 'unavailable')
    assert.equal(dependencyFailureKind('a string'), 'unavailable')
    assert.equal(dependencyFailureKind(undefined), 'unavailable')
  })
  test('fast-jwt\'s key-fetching error is classified by what the key function threw', () => {
    const wrapped = (original: unknown) => new TokenError(TokenError.codes.keyFetchingError, 'Cannot fetch key.', { originalError: original } as never)
    assert.equal(jwtFailureKind(wrapped(Object.assign(new Error('x'), { statusCode: 404 }))), 'invalid')
    assert.equal(jwtFailureKind(wrapped(new Error('kms down'))), 'unavailable')
    assert.equal(jwtFailureKind(new TokenError(TokenError.codes.keyFetchingError, 'no original')), 'unavailable')
  })

  test('a dependency that blames the token makes it a 401', () => {
    assert.equal(dependencyFailureKind(Object.assign(new Error('unknown kid'), { statusCode: 401 })), 'invalid')
    assert.equal(dependencyFailureKind(Object.assign(new Error('unknown kid'), { status: 404 })), 'invalid')
    assert.equal(dependencyFailureKind(Object.assign(new Error('No matching JWK found in the set.'), { name: 'GetJwksError', code: 'JWK_NOT_FOUND' })), 'invalid')
    assert.equal(dependencyFailureKind(Object.assign(new Error('The domain is not allowed.'), { name: 'GetJwksError', code: 'DOMAIN_NOT_ALLOWED' })), 'invalid')
    assert.equal(dependencyFailureKind(Object.assign(new Error('JWKS request failed'), { name: 'GetJwksError', code: 'JWKS_REQUEST_FAILED' })), 'unavailable')
    assert.equal(dependencyFailureKind(new TokenError(TokenError.codes.expired, 'x')), 'expired')
  })
  test('app.jwt.verify(undefined), which asserts, is no credentials', () => {
    assert.equal(jwtFailureKind(Object.assign(new Error('missing token'), { code: 'ERR_ASSERTION' })), 'missing')
    assert.equal(jwtFailureKind(Object.assign(new Error('other'), { code: 'ERR_ASSERTION' })), null)
  })
})
