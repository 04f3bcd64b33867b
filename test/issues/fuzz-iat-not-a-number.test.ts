// Regression, found by test/fuzz.test.ts and shrunk by fast-check to
//   header {"alg":"HS256"}, payload {"iat":"soon"}, correctly signed.
// fast-jwt checks iat only when maxAge is set, so it accepted the token; jose (and RFC 7519 §4.1.6,
// "iat … MUST be a NumericDate") refuses it. The guard now refuses a non-numeric iat: 401 claims.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { jwtVerify } from 'jose'
import { guardedApp, bearer } from '../helpers/app.js'
import { hmacToken } from '../helpers/tokens.js'

const SECRET = 'regression-secret-regression-secret'

test('a correctly signed token whose iat is not a number is refused, as jose refuses it', async () => {
  const token = hmacToken({ alg: 'HS256' }, { iat: 'soon' }, SECRET)
  await assert.rejects(jwtVerify(token, new TextEncoder().encode(SECRET), { algorithms: ['HS256'] }))
  const app = await guardedApp({ secret: SECRET })
  const res = await app.inject({ url: '/hook', headers: bearer(token) })
  assert.equal(res.statusCode, 401)
  assert.equal(res.json().code, 'FST_JWT_GUARD_TOKEN_CLAIMS_INVALID')
  assert.equal(res.headers['www-authenticate'], 'Bearer realm="api", error="invalid_token", error_description="The token claims are invalid"')
  await app.close()
})
