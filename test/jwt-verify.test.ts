import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import Fastify, { type FastifyInstance } from 'fastify'
import { createSigner } from 'fast-jwt'
import jwtGuard from '../lib/index.js'
import { takeOverJwtVerify } from '../lib/take-over-jwt-verify.js'
import { maskingHandler } from './helpers/contract-app.js'
import { assertFailureReply } from './helpers/expected.js'
import { bearer } from './helpers/app.js'
import type { Answer } from './helpers/transport.js'
import type { JwtGuardOptions } from '../types/index.js'

const sign = createSigner({ key: 's' })

async function answer (app: FastifyInstance, url: string, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await app.inject({ url, headers })
  return { status: res.statusCode, headers: res.headers as Record<string, string>, body: res.body }
}

/** Fails the test if anything the guard does leaves a promise rejection unhandled. */
function watchRejections (): { rejections: unknown[], stop: () => void } {
  const rejections: unknown[] = []
  const listener = (reason: unknown): void => { rejections.push(reason) }
  process.on('unhandledRejection', listener)
  return { rejections, stop: () => process.off('unhandledRejection', listener) }
}

/** Runs `fn` against a legacy app and fails if any promise rejection was left unhandled meanwhile. */
async function withoutUnhandledRejections (options: JwtGuardOptions, fn: (app: FastifyInstance) => Promise<void>): Promise<void> {
  const { rejections, stop } = watchRejections()
  const app = await legacyApp(options)
  try {
    await fn(app)
    await new Promise((resolve) => setTimeout(resolve, 20))
    assert.deepEqual(rejections, [])
  } finally {
    stop()
    await app.close()
  }
}

async function legacyApp (options: JwtGuardOptions): Promise<FastifyInstance> {
  const app = Fastify()
  app.setErrorHandler(maskingHandler)
  await app.register(jwtGuard, options)
  app.get('/promise', async (request) => ({ user: await request.jwtVerify() }))
  app.get('/callback', { onRequest: (request, _reply, done) => { request.jwtVerify((error: Error | null) => done(error ?? undefined)) } }, async (request) => ({ user: request.user }))
  app.get('/with-options', async (request) => ({ user: await request.jwtVerify({ maxAge: '1h' } as never) }))
  app.get('/app-jwt-verify', async (request) => ({ claims: await app.jwt.verify(String(request.headers.authorization).slice(7)) }))
  app.get('/reply-jwt-sign', async (_request, reply) => ({ token: await reply.jwtSign({ sub: 'signed' }) }))
  return app
}

describe('request.jwtVerify(), taken over by the guard', () => {
  let app: FastifyInstance
  before(async () => { app = await legacyApp({ secret: 's', formatUser: (claims: any) => ({ id: claims.sub }) }) })
  after(() => app.close())

  test('without options it answers by the contract, with the guard\'s codes', async () => {
    const saved = process.env.NODE_ENV
    process.env.NODE_ENV = 'production'
    try {
      assertFailureReply(await answer(app, '/promise'), 'missing', 'no token')
      assertFailureReply(await answer(app, '/promise', { authorization: 'Bearer ' }), 'missing', 'Bearer and a space')
      assertFailureReply(await answer(app, '/promise', bearer(createSigner({ key: 'x' })({ sub: 'a' }))), 'signature', 'bad signature')
      assertFailureReply(await answer(app, '/callback', bearer('a.b.c')), 'malformed', 'undecodable')
    } finally {
      process.env.NODE_ENV = saved
    }
  })

  test('it resolves to the formatted user in both styles, as @fastify/jwt does', async () => {
    assert.deepEqual(JSON.parse((await answer(app, '/promise', bearer(sign({ sub: 'p' })))).body), { user: { id: 'p' } })
    assert.deepEqual(JSON.parse((await answer(app, '/callback', bearer(sign({ sub: 'c' })))).body), { user: { id: 'c' } })
  })

  test('with per-call options it asks @fastify/jwt and still formats the user', async () => {
    assert.deepEqual(JSON.parse((await answer(app, '/with-options', bearer(sign({ sub: 'o' })))).body), { user: { id: 'o' } })
    const old = sign({ sub: 'o', iat: Math.floor(Date.now() / 1000) - 7200 })
    assertFailureReply(await answer(app, '/with-options', bearer(old)), 'expired', 'per-call maxAge')
  })
})

describe('dependency failures never hang, crash or leak through @fastify/jwt\'s APIs', () => {
  const DETAIL = 'secret-detail'
  const fail = (): never => { throw new Error(DETAIL) }
  const cases: Array<[string, JwtGuardOptions, string[]]> = [
    ['async trusted and a throwing formatUser', { secret: 's', trusted: async () => true, formatUser: fail }, ['/promise', '/callback', '/with-options']],
    ['a throwing formatUser', { secret: 's', formatUser: fail }, ['/promise', '/with-options']],
    ['async trusted that rejects', { secret: 's', trusted: async () => fail() }, ['/promise', '/with-options']]
  ]
  for (const [name, options, urls] of cases) {
    test(name, () => withoutUnhandledRejections(options, async (app) => {
      for (const url of urls) assertFailureReply(await answer(app, url, bearer(sign({ sub: 'a' }))), 'unavailable', `${name} ${url}`)
    }))
  }

  test('app.jwt.verify() and request.jwtVerify() keep working with a secret function (fast-jwt calls it with a callback)', () =>
    withoutUnhandledRejections({ secret: (_a: unknown, _b: unknown, callback?: (e: Error | null, k: string) => void) => { if (typeof callback === 'function') return callback(null, 's'); return Promise.resolve('s') } }, async (app) => {
      const token = sign({ sub: 'fn' })
      assert.equal(JSON.parse((await answer(app, '/app-jwt-verify', bearer(token))).body).claims.sub, 'fn')
      assert.equal((await answer(app, '/promise', bearer(token))).status, 200)
    }))

  test('a secret function returning a promise and failing is a 503 through app.jwt.verify()', async () => {
    const app = await legacyApp({ secret: { private: 's', public: async () => fail() } })
    assertFailureReply(await answer(app, '/app-jwt-verify', bearer(sign({ sub: 'a' }))), 'unavailable', 'app.jwt.verify')
    await app.close()
  })

  test('a private key function answering through its callback signs with reply.jwtSign()', async () => {
    const app = await legacyApp({ secret: { private: ((_r: unknown, _p: unknown, cb: (e: Error | null, k: string) => void) => cb(null, 's')) as never, public: 's' } })
    assert.equal((await answer(app, '/reply-jwt-sign')).status, 200)
    await app.close()
  })

  test('a private key function failing through its callback is a 503 from reply.jwtSign()', async () => {
    const app = await legacyApp({ secret: { private: ((_r: unknown, _p: unknown, cb: (e: Error | null) => void) => cb(new Error(DETAIL))) as never, public: 's' } })
    const res = await app.inject('/reply-jwt-sign')
    assert.equal(res.statusCode, 503)
    assert.ok(!res.body.includes(DETAIL))
    await app.close()
  })
})

describe('names', () => {
  test('a custom jwtVerify name and a namespace are taken over under their names', async () => {
    const app = Fastify()
    await app.register(jwtGuard, { secret: 's', namespace: 'api', jwtVerify: 'apiVerify' })
    app.get('/', async (request) => (request as any).apiVerify())
    assertFailureReply(await answer(app, '/'), 'missing', 'custom name')
    await app.close()
    const namespaced = Fastify()
    await namespaced.register(jwtGuard, { secret: 's', namespace: 'ns' })
    namespaced.get('/', async (request) => (request as any).nsJwtVerify())
    assertFailureReply(await answer(namespaced, '/'), 'missing', 'namespace')
    await namespaced.close()
  })

  test('a jwtVerify name without a namespace is ignored, as @fastify/jwt ignores it', async () => {
    const app = Fastify()
    await app.register(jwtGuard, { secret: 's', jwtVerify: 'myVerify' })
    app.get('/', async (request) => request.jwtVerify())
    assertFailureReply(await answer(app, '/'), 'missing', 'default name')
    assert.equal((app as any).hasRequestDecorator('myVerify'), false)
    await app.close()
  })

  test('per-call options with errorHandler: false still answer by the contract, not with a 500', async () => {
    const app = Fastify()
    await app.register(jwtGuard, { secret: 's', errorHandler: false })
    app.get('/', async (request) => request.jwtVerify({ maxAge: '1h' } as never))
    const res = await app.inject({ url: '/', headers: bearer(sign({ sub: 'a', nbf: Math.floor(Date.now() / 1000) + 600 })) })
    assert.equal(res.statusCode, 401)
    assert.equal(res.json().code, 'FST_JWT_GUARD_TOKEN_INACTIVE')
    assert.equal(res.headers['www-authenticate'], 'Bearer realm="api", error="invalid_token", error_description="The token is not valid yet"')
    await app.close()
  })

  test('registration fails loudly where the decorator cannot be found', () => {
    assert.throws(() => takeOverJwtVerify(Object.create(null), 'jwtVerify', () => null), /cannot find @fastify\/jwt's request.jwtVerify/)
    const app = Fastify()
    assert.throws(() => takeOverJwtVerify(app, 'jwtVerify', () => null), /this Fastify version is not supported/)
  })
})

test('a secret function that throws synchronously is a 503 through app.jwt.verify()', async () => {
  const app = await legacyApp({ secret: (() => { throw new Error('sync-detail') }) as never })
  const res = await app.inject({ url: '/app-jwt-verify', headers: bearer(sign({ sub: 'a' })) })
  assert.equal(res.statusCode, 503)
  assert.ok(!res.body.includes('sync-detail'))
  await app.close()
})
