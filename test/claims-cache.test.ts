import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { createSigner } from 'fast-jwt'
import { createClaimsCache } from '../lib/claims-cache.js'
import { guardedApp, bearer } from './helpers/app.js'

describe('the claims cache', () => {
  test('is off unless verify.cache is set', () => {
    assert.equal(createClaimsCache({}), null)
    assert.equal(createClaimsCache({ cache: false }), null)
    assert.equal(createClaimsCache({ cache: 0 }), null)
  })

  test('hands out a deep copy per request, and keeps a copy of what it was given', () => {
    const cache = createClaimsCache({ cache: true })!
    const original = { sub: 'a', roles: ['user'] }
    cache.set('t', original)
    original.roles.push('admin')
    const first = cache.get('t') as { sub: string, roles: string[] }
    first.sub = 'mutated'
    first.roles.push('admin')
    assert.deepEqual(cache.get('t'), { sub: 'a', roles: ['user'] })
  })

  test('keeps an entry no longer than exp, maxAge and cacheTTL allow', () => {
    const s = Math.floor(Date.now() / 1000)
    const cache = createClaimsCache({ cache: true, maxAge: 1000, cacheTTL: 60000 })!
    cache.set('expired', { exp: s - 1 })
    cache.set('too-old', { iat: s - 5 })
    cache.set('fresh', { iat: s, exp: s + 60 })
    assert.equal(cache.get('expired'), undefined)
    assert.equal(cache.get('too-old'), undefined)
    assert.deepEqual(cache.get('fresh'), { iat: s, exp: s + 60 })
    const short = createClaimsCache({ cache: true, cacheTTL: -1 })!
    short.set('t', { sub: 'a' })
    assert.equal(short.get('t'), undefined)
  })

  test('reads exp from the payload of complete results', () => {
    const s = Math.floor(Date.now() / 1000)
    const cache = createClaimsCache({ cache: true, complete: true, clockTolerance: 0 })!
    cache.set('gone', { header: {}, payload: { exp: s - 10 } })
    cache.set('here', { header: {}, payload: { exp: s + 10 } })
    assert.equal(cache.get('gone'), undefined)
    assert.notEqual(cache.get('here'), undefined)
  })

  test('is bounded: least recently used goes first', () => {
    const cache = createClaimsCache({ cache: 2 })!
    cache.set('a', { n: 1 })
    cache.set('b', { n: 2 })
    cache.get('a')
    cache.set('c', { n: 3 })
    assert.equal(cache.get('b'), undefined)
    assert.deepEqual(cache.get('a'), { n: 1 })
    assert.deepEqual(cache.get('c'), { n: 3 })
  })

  test('does not keep tokens over 4 KB', () => {
    const cache = createClaimsCache({ cache: true })!
    const long = 'x'.repeat(4097)
    cache.set(long, { sub: 'a' })
    assert.equal(cache.get(long), undefined)
  })
})

describe('verify.cache through the guard', () => {
  for (const complete of [false, true]) {
    test(`a request that changes request.user does not change what the next one gets (complete: ${complete})`, async () => {
      const { default: Fastify } = await import('fastify')
      const { default: jwtGuard } = await import('../lib/index.js')
      const app = Fastify()
      await app.register(jwtGuard, { secret: 's', verify: { cache: true, complete } })
      app.get('/', { onRequest: app.authenticate }, async (request) => {
        const user = request.user as any
        const claims = complete ? user.payload : user
        const seen = JSON.stringify(claims)
        claims.sub = 'admin'
        claims.roles.push('admin')
        return seen
      })
      const token = app.jwt.sign({ sub: 'user-1', roles: ['user'] })
      for (let i = 0; i < 3; i++) {
        const seen = JSON.parse((await app.inject({ url: '/', headers: bearer(token) })).body)
        assert.equal(seen.sub, 'user-1', `request ${i}`)
        assert.deepEqual(seen.roles, ['user'], `request ${i}`)
      }
      await app.close()
    })
  }

  test('a flood of distinct bad tokens does not evict a cached valid token', async () => {
    const app = await guardedApp({ secret: 's', verify: { cache: 10 } })
    const valid = app.jwt.sign({ sub: 'kept' })
    assert.equal((await app.inject({ url: '/hook', headers: bearer(valid) })).statusCode, 200)
    const forge = createSigner({ key: 'attacker' })
    for (let i = 0; i < 50; i++) {
      assert.equal((await app.inject({ url: '/hook', headers: bearer(forge({ sub: `x${i}` })) })).statusCode, 401)
    }
    // With the key gone, only a cache hit can still verify the token.
    const withoutKey = await guardedApp({ secret: 'other', verify: { cache: 10 } })
    assert.equal((await withoutKey.inject({ url: '/hook', headers: bearer(valid) })).statusCode, 401)
    await withoutKey.close()
    assert.equal((await app.inject({ url: '/hook', headers: bearer(valid) })).json().user.sub, 'kept')
    await app.close()
  })
})
