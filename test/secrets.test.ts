import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import Fastify from 'fastify'
import { createSigner } from 'fast-jwt'
import jwtGuard from '../lib/index.js'
import { guardedApp, bearer } from './helpers/app.js'
import { rsaKeys, rs256Token } from './helpers/tokens.js'

describe('every form of @fastify/jwt secret', () => {
  test('a string', async () => {
    const app = await guardedApp({ secret: 'a-string-secret' })
    const token = app.jwt.sign({ sub: 'a' })
    const res = await app.inject({ url: '/hook', headers: bearer(token) })
    assert.equal(res.statusCode, 200)
    assert.equal(res.json().user.sub, 'a')
    await app.close()
  })

  test('a Buffer', async () => {
    const app = await guardedApp({ secret: Buffer.from('a-buffer-secret') })
    const token = app.jwt.sign({ sub: 'b' })
    assert.equal((await app.inject({ url: '/inline', headers: bearer(token) })).json().claims.sub, 'b')
    await app.close()
  })

  test('an RSA key pair, with RS256 signing through reply.jwtSign', async () => {
    const { privateKey, publicKey } = rsaKeys()
    const app = Fastify()
    await app.register(jwtGuard, { secret: { private: privateKey, public: publicKey }, sign: { algorithm: 'RS256' } })
    app.get('/login', async (_request, reply) => ({ token: await reply.jwtSign({ sub: 'rsa' }) }))
    app.get('/me', { onRequest: app.authenticate }, async (request) => request.user)
    const { token } = (await app.inject('/login')).json()
    assert.equal((await app.inject({ url: '/me', headers: bearer(token) })).json().sub, 'rsa')
    assert.equal((await app.inject({ url: '/me', headers: bearer(rs256Token({ sub: 'x' })) })).statusCode, 200)
    const hsToken = createSigner({ key: publicKey, algorithm: 'HS256' })({ sub: 'confused' })
    const confused = await app.inject({ url: '/me', headers: bearer(hsToken) })
    assert.equal(confused.statusCode, 401, 'key confusion: the public key used as an HMAC secret')
    assert.equal(confused.json().code, 'FST_JWT_GUARD_TOKEN_SIGNATURE_INVALID')
    await app.close()
  })

  test('a key pair whose public key is a function', async () => {
    const app = await guardedApp({ secret: { private: 'k', public: async () => 'k' } })
    const token = createSigner({ key: 'k' })({ sub: 'p' })
    assert.equal((await app.inject({ url: '/hook', headers: bearer(token) })).statusCode, 200)
    await app.close()
  })

  test('an explicit verify.key wins over secret, as in @fastify/jwt', async () => {
    const app = await guardedApp({ secret: 'signing', verify: { key: 'verifying' } as never })
    const good = createSigner({ key: 'verifying' })({ sub: 'v' })
    const bad = createSigner({ key: 'signing' })({ sub: 'v' })
    assert.equal((await app.inject({ url: '/hook', headers: bearer(good) })).statusCode, 200)
    assert.equal((await app.inject({ url: '/hook', headers: bearer(bad) })).statusCode, 401)
    await app.close()
  })

  test('a fast-jwt key function in verify.key (an asynchronous verifier)', async () => {
    const app = await guardedApp({ secret: 'unused', verify: { key: async () => 'from-key-fn' } as never })
    const good = createSigner({ key: 'from-key-fn' })({ sub: 'f' })
    assert.equal((await app.inject({ url: '/hook', headers: bearer(good) })).statusCode, 200)
    const expired = createSigner({ key: 'from-key-fn' })({ sub: 'f', exp: 1 })
    assert.equal((await app.inject({ url: '/hook', headers: bearer(expired) })).json().code, 'FST_JWT_GUARD_TOKEN_EXPIRED')
    await app.close()
  })

  test('a fast-jwt key function that fails is a 503', async () => {
    const app = await guardedApp({ secret: 'unused', verify: { key: async () => { throw new Error('jwks down') } } as never })
    const token = createSigner({ key: 'x' })({ sub: 'f' })
    const res = await app.inject({ url: '/hook', headers: bearer(token) })
    assert.equal(res.statusCode, 503)
    assert.equal(res.headers['retry-after'], '5')
    assert.ok(!res.body.includes('jwks down'))
    await app.close()
  })

  test('a key function that blames the token (unknown kid) is a 401 through the hook and app.jwt.verify alike (found in review)', async () => {
    const unknownKid = () => Object.assign(new Error('No matching JWK found in the set.'), { name: 'GetJwksError', code: 'JWK_NOT_FOUND' })
    for (const secret of [async () => { throw unknownKid() }, () => { throw Object.assign(new Error('unknown kid'), { statusCode: 404 }) }]) {
      const app = await guardedApp({ secret })
      app.get('/app-jwt', async (request) => app.jwt.verify((request.headers.authorization as string).slice(7)))
      const token = createSigner({ key: 'x' })({ sub: 'f' })
      for (const url of ['/hook', '/app-jwt']) {
        const res = await app.inject({ url, headers: bearer(token) })
        assert.equal(res.statusCode, 401, url)
        assert.equal(res.json().code, 'FST_JWT_GUARD_TOKEN_INVALID', url)
      }
      await app.close()
    }
  })

  test('a secret function answering with a key that cannot verify is a 503', async () => {
    const app = await guardedApp({ secret: async () => '' })
    const token = createSigner({ key: 'x' })({ sub: 'f' })
    assert.equal((await app.inject({ url: '/hook', headers: bearer(token) })).statusCode, 503)
    await app.close()
  })

  test('a secret function is asked with the request and the decoded token, and its verifiers are reused', async () => {
    const calls: unknown[] = []
    const app = await guardedApp({
      secret: (request: any, decoded: any, callback: any) => { calls.push([request.url, decoded.sub]); callback(null, 'cb-secret') }
    })
    const token = createSigner({ key: 'cb-secret' })({ sub: 'c' })
    assert.equal((await app.inject({ url: '/hook', headers: bearer(token) })).statusCode, 200)
    assert.equal((await app.inject({ url: '/inline', headers: bearer(token) })).statusCode, 200)
    assert.deepEqual(calls, [['/hook', 'c'], ['/inline', 'c']])
    await app.close()
  })
})

describe('trusted and formatUser', () => {
  test('formatUser shapes request.user; verifyJwt still resolves to the claims', async () => {
    const app = Fastify()
    await app.register(jwtGuard, { secret: 's', formatUser: (claims: any) => ({ id: claims.sub }) })
    app.get('/', async (request) => ({ claims: await request.verifyJwt(), user: request.user }))
    const token = app.jwt.sign({ sub: 'u' })
    const body = (await app.inject({ url: '/', headers: bearer(token) })).json()
    assert.equal(body.claims.sub, 'u')
    assert.deepEqual(body.user, { id: 'u' })
    await app.close()
  })

  test('a custom decoratorName receives the user', async () => {
    const app = Fastify()
    await app.register(jwtGuard, { secret: 's', decoratorName: 'account' })
    app.get('/', { onRequest: app.authenticate }, async (request) => (request as any).account)
    const token = app.jwt.sign({ sub: 'acc' })
    assert.equal((await app.inject({ url: '/', headers: bearer(token) })).json().sub, 'acc')
    await app.close()
  })

  test('a synchronous trusted returning true lets the request through', async () => {
    const app = await guardedApp({ secret: 's', trusted: () => true })
    assert.equal((await app.inject({ url: '/hook', headers: bearer(app.jwt.sign({ sub: 't' })) })).statusCode, 200)
    await app.close()
  })
})
