import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import Fastify from 'fastify'
import fastifyJwt from '@fastify/jwt'
import fastifyCookie from '@fastify/cookie'
import { createSigner } from 'fast-jwt'
import jwtGuard from '../lib/index.js'
import { assertFailureReply } from './helpers/expected.js'
import type { Answer } from './helpers/transport.js'
import { bearer } from './helpers/app.js'

async function get (app: ReturnType<typeof Fastify>, url: string, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await app.inject({ url, headers })
  return { status: res.statusCode, headers: res.headers as Record<string, string>, body: res.body }
}

describe('when the app registered @fastify/jwt itself, the guard uses that registration', () => {
  async function app (jwtOptions: Parameters<typeof fastifyJwt>[1]) {
    const instance = Fastify()
    await instance.register(fastifyCookie)
    await instance.register(fastifyJwt, jwtOptions)
    await instance.register(jwtGuard, { realm: 'legacy' })
    instance.get('/hook', { onRequest: instance.authenticate }, async (request) => request.user)
    instance.get('/inline', async (request) => request.verifyJwt())
    return instance
  }

  test('valid tokens pass, with @fastify/jwt\'s formatUser applied to request.user; verifyJwt() resolves to the claims', async () => {
    const instance = await app({ secret: 's', formatUser: (p: any) => ({ id: p.sub }) })
    const token = instance.jwt.sign({ sub: 'f' })
    assert.deepEqual((await instance.inject({ url: '/hook', headers: bearer(token) })).json(), { id: 'f' })
    const claims = (await instance.inject({ url: '/inline', headers: bearer(token) })).json()
    assert.equal(claims.sub, 'f')
    assert.equal(typeof claims.iat, 'number')
    await instance.close()
  })

  test('failures follow the contract, with the guard\'s realm', async () => {
    const instance = await app({ secret: 's' })
    const none = await get(instance, '/hook')
    assert.equal(none.headers['www-authenticate'], 'Bearer realm="legacy"')
    const expired = instance.jwt.sign({ sub: 'f', exp: 1 })
    const res = await get(instance, '/inline', bearer(expired))
    assert.equal(res.status, 401)
    assert.equal(JSON.parse(res.body).code, 'FST_JWT_GUARD_TOKEN_EXPIRED')
    assert.equal((await get(instance, '/hook', { authorization: 'Bearer a b' })).status, 400)
    await instance.close()
  })

  test('an error from the app\'s secret function is a 503 that says nothing of it', async () => {
    const instance = await app({ secret: async () => { throw new Error('vault sealed') } })
    const res = await get(instance, '/hook', bearer(createSigner({ key: 'x' })({ sub: 'a' })))
    assert.equal(res.status, 503)
    assert.ok(!res.body.includes('vault sealed'))
    await instance.close()
  })

  test('the cookie settings of that registration are used', async () => {
    const instance = await app({ secret: 's', cookie: { cookieName: 'jwt', signed: false } })
    const token = instance.jwt.sign({ sub: 'c' })
    assert.equal((await instance.inject({ url: '/hook', headers: { cookie: `jwt=${token}` } })).statusCode, 200)
    const res = await get(instance, '/hook')
    assertFailureReply({ ...res, headers: { ...res.headers, 'www-authenticate': res.headers['www-authenticate'].replace('legacy', 'api') } }, 'missing', 'no cookie')
    await instance.close()
  })
})

describe('route policies with an app-registered @fastify/jwt', () => {
  test('global mode, optional, scopes, allow, onFailure and messages by kind work through its registration', async () => {
    const instance = Fastify()
    await instance.register(fastifyJwt, { secret: 's' })
    await instance.register(jwtGuard, {
      global: true,
      messages: { insufficient_scope: 'Ask for orders:write' },
      onFailure: (failure) => failure.kind === 'forbidden' ? { denied: true } : undefined
    })
    instance.get('/private', async () => 'private')
    instance.get('/public', { config: { jwt: false } }, async () => 'public')
    instance.get('/optional', { config: { jwt: { optional: true } } }, async (request) => ({ user: request.user }))
    instance.get('/scoped', { config: { jwt: { scopes: ['orders:write'] } } }, async () => 'scoped')
    instance.get('/admin', { config: { jwt: { allow: (claims) => claims.role === 'admin' } } }, async () => 'admin')
    const user = instance.jwt.sign({ sub: 'f', scope: 'orders:read', role: 'user' })
    try {
      assertFailureReply(await get(instance, '/private'), 'missing', 'global')
      assert.equal((await get(instance, '/public')).status, 200)
      assert.equal((await get(instance, '/optional')).body, '{"user":null}')
      assertFailureReply(await get(instance, '/optional', bearer(instance.jwt.sign({ sub: 'f', exp: 1 }))), 'expired', 'optional with an expired token')
      const scoped = await get(instance, '/scoped', bearer(user))
      assert.equal(scoped.status, 403)
      assert.equal(JSON.parse(scoped.body).message, 'Ask for orders:write')
      assert.match(scoped.headers['www-authenticate'], /scope="orders:write"$/)
      const admin = await get(instance, '/admin', bearer(user))
      assert.equal(admin.status, 403)
      assert.equal(admin.body, '{"denied":true}')
      assert.equal((await get(instance, '/admin', bearer(instance.jwt.sign({ sub: 'f', role: 'admin' })))).status, 200)
    } finally {
      await instance.close()
    }
  })

  test('with its formatUser, scopes and allow still read the token\'s payload (found in review)', async () => {
    const instance = Fastify()
    await instance.register(fastifyJwt, { secret: 's', formatUser: (payload: any) => ({ id: payload.sub }) })
    await instance.register(jwtGuard, {})
    instance.get('/scoped', { config: { jwt: { scopes: ['orders:read'] } } }, async (request) => ({ user: request.user }))
    instance.get('/admin', { config: { jwt: { allow: (claims) => claims.role === 'admin' } } }, async () => 'admin')
    const token = instance.jwt.sign({ sub: 'alice', scope: 'orders:read', role: 'admin' })
    try {
      const scoped = await get(instance, '/scoped', bearer(token))
      assert.equal(scoped.status, 200)
      assert.equal(scoped.body, '{"user":{"id":"alice"}}')
      assert.equal((await get(instance, '/admin', bearer(token))).status, 200)
    } finally {
      await instance.close()
    }
  })

  test('with its verify.complete, scopes are read from the payload', async () => {
    const instance = Fastify()
    await instance.register(fastifyJwt, { secret: 's', verify: { complete: true } })
    await instance.register(jwtGuard, {})
    instance.get('/scoped', { config: { jwt: { scopes: ['a'] } } }, async () => 'scoped')
    try {
      assert.equal((await get(instance, '/scoped', bearer(instance.jwt.sign({ sub: 'f', scope: 'a' })))).status, 200)
      assert.equal((await get(instance, '/scoped', bearer(instance.jwt.sign({ sub: 'f', scope: 'b' })))).status, 403)
    } finally {
      await instance.close()
    }
  })
})
