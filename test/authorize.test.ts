import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { createAuthorizer, DEFAULT_SCOPE_CLAIMS, grantedScopes } from '../lib/authorize.js'
import { compilePolicy } from '../lib/policy.js'

describe('grantedScopes', () => {
  test('reads space-delimited strings and arrays of strings from each claim', () => {
    assert.deepEqual([...grantedScopes({ scope: 'a  b ', scp: ['c', 1, null, ''], permissions: 'd' }, DEFAULT_SCOPE_CLAIMS)], ['a', 'b', 'c', 'd'])
  })
  test('anything else grants nothing', () => {
    for (const payload of [null, undefined, 'scope', 42, { scope: 42 }, { scope: { a: true } }]) {
      assert.equal(grantedScopes(payload, DEFAULT_SCOPE_CLAIMS).size, 0, JSON.stringify(payload))
    }
  })
  test('claims outside the list are not read', () => {
    assert.equal(grantedScopes({ roles: ['admin'] }, DEFAULT_SCOPE_CLAIMS).size, 0)
  })
})

describe('createAuthorizer', () => {
  const request = {} as never
  const policy = (spec: object) => compilePolicy(spec, 'config.jwt', 'of route GET /')

  test('without scopes or allow, every verified token is authorized', () => {
    assert.equal(createAuthorizer({ scopeClaims: DEFAULT_SCOPE_CLAIMS, complete: false })(policy({}), {}, request), null)
  })

  test('with verify.complete a token without a payload grants no scope', () => {
    const authorize = createAuthorizer({ scopeClaims: DEFAULT_SCOPE_CLAIMS, complete: true })
    assert.deepEqual(authorize(policy({ scopes: ['a'] }), null, request), { kind: 'insufficient_scope', scopes: ['a'] })
    assert.equal(authorize(policy({ scopes: ['a'] }), { payload: { scope: 'a' } }, request), null)
  })

  test('allow is synchronous when it answers synchronously', () => {
    const authorize = createAuthorizer({ scopeClaims: DEFAULT_SCOPE_CLAIMS, complete: false })
    assert.equal(authorize(policy({ allow: () => true }), {}, request), null)
    assert.deepEqual(authorize(policy({ allow: () => 1 }), {}, request), { kind: 'forbidden' })
  })
})
