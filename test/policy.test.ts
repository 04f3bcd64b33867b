import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { compilePolicy, policyOfRequest, PUBLIC, REQUIRED, routeLabel, UNSET } from '../lib/policy.js'

describe('compilePolicy', () => {
  test('undefined, false and true are the shared unset, public and required policies', () => {
    assert.equal(compilePolicy(undefined, 'config.jwt', 'of route GET /'), UNSET)
    assert.equal(compilePolicy(false, 'config.jwt', 'of route GET /'), PUBLIC)
    assert.equal(compilePolicy(true, 'config.jwt', 'of route GET /'), REQUIRED)
  })

  test('an object is frozen, its scopes deduplicated and copied', () => {
    const scopes = ['a', 'b', 'a']
    const policy = compilePolicy({ scopes, anyScope: ['c'] }, 'config.jwt', 'of route GET /')
    scopes.push('d')
    assert.deepEqual(policy, { mode: 'required', scopes: ['a', 'b'], anyScope: ['c'], allow: null })
    assert.deepEqual(compilePolicy({ optional: true }, 'config.jwt', 'of route GET /'), { mode: 'optional', scopes: [], anyScope: [], allow: null })
    assert.ok(Object.isFrozen(policy) && Object.isFrozen(policy.scopes) && Object.isFrozen(policy.anyScope))
    assert.equal(compilePolicy({}, 'config.jwt', 'of route GET /').mode, 'required')
    assert.equal(compilePolicy({ optional: false }, 'config.jwt', 'of route GET /').mode, 'required')
  })

  test('optional with scopes, anyScope or allow is refused: dropping the token would skip them', () => {
    for (const extra of [{ scopes: ['a'] }, { anyScope: ['a'] }, { allow: () => true }]) {
      assert.throws(() => compilePolicy({ optional: true, ...extra }, 'config.jwt', 'of route GET /'),
        { message: 'fastify-jwt-guard: "config.jwt.optional" option of route GET / cannot be combined with scopes, anyScope or allow: a request without a token would skip them' })
    }
    assert.equal(compilePolicy({ optional: false, scopes: ['a'] }, 'config.jwt', 'of route GET /').mode, 'required')
  })

  test('a value JSON cannot show is described by its type', () => {
    assert.throws(() => compilePolicy(() => true, 'config.jwt', 'of route GET /'), /"config\.jwt" option of route GET \/ must be false, true or an object, got function/)
    assert.throws(() => compilePolicy(null, 'config.jwt', 'of route GET /'), /got null/)
  })

  test('for verifyJwt() the option names have no prefix', () => {
    assert.throws(() => compilePolicy({ scopes: 'a' }, '', 'of request.verifyJwt()'), { message: /^fastify-jwt-guard: "scopes" option of request.verifyJwt\(\) must be a non-empty array/ })
  })
})

describe('policyOfRequest', () => {
  const fakeRequest = (config: unknown) => ({ method: 'GET', url: '/x?y', routeOptions: { config } }) as never

  test('compiles once per route config', () => {
    const config = { jwt: { scopes: ['a'] }, method: 'GET', url: '/x' }
    assert.equal(policyOfRequest(fakeRequest(config)), policyOfRequest(fakeRequest(config)))
  })

  test('a context without config (Fastify\'s own not-found) has no policy', () => {
    assert.equal(policyOfRequest(fakeRequest(undefined)), UNSET)
  })

  test('a mistake names the route, from the config or else from the request', () => {
    assert.throws(() => policyOfRequest(fakeRequest({ jwt: { scope: 'a' }, method: ['GET', 'POST'], url: '/orders' })), /unknown option "config\.jwt\.scope" of route GET,POST \/orders/)
    assert.throws(() => policyOfRequest(fakeRequest({ jwt: 'x' })), /of route GET \/x\?y must be/)
  })

  test('routeLabel joins methods', () => {
    assert.equal(routeLabel(['GET', 'HEAD'], '/a'), 'GET,HEAD /a')
  })
})
