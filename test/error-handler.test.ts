import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import Fastify, { type FastifyInstance } from 'fastify'
import { TokenError } from 'fast-jwt'
import jwtGuard from '../lib/index.js'
import { maskingHandler } from './helpers/contract-app.js'
import { assertFailureReply } from './helpers/expected.js'
import type { Answer } from './helpers/transport.js'

async function get (app: FastifyInstance, url: string, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await app.inject({ url, headers })
  return { status: res.statusCode, headers: res.headers as Record<string, string>, body: res.body }
}

function collectWarnings (): { warnings: string[], stop: () => void } {
  const warnings: string[] = []
  const listener = (warning: Error & { code?: string }): void => { warnings.push(warning.code ?? warning.name) }
  process.on('warning', listener)
  return { warnings, stop: () => process.off('warning', listener) }
}

function routes (scope: FastifyInstance): void {
  scope.get('/inline', async (request) => request.verifyJwt())
  scope.get('/boom', async () => { throw new Error('an app error') })
}

describe('the app keeps its error handler, in every order, under both allowErrorHandlerOverride settings', () => {
  for (const allowErrorHandlerOverride of [true, false]) {
    for (const order of ['before', 'after', 'child'] as const) {
      test(`app handler set ${order} the guard, allowErrorHandlerOverride: ${allowErrorHandlerOverride}`, async () => {
        const { warnings, stop } = collectWarnings()
        const saved = process.env.NODE_ENV
        process.env.NODE_ENV = 'production'
        const app = Fastify({ allowErrorHandlerOverride })
        try {
          if (order === 'before') app.setErrorHandler(maskingHandler)
          await app.register(jwtGuard, { secret: 's' })
          if (order === 'after') app.setErrorHandler(maskingHandler)
          if (order === 'child') {
            await app.register(async (child) => { child.setErrorHandler(maskingHandler); routes(child) })
          } else {
            routes(app)
          }
          await app.ready()
          assertFailureReply(await get(app, '/inline'), 'missing', 'no token')
          const boom = await get(app, '/boom')
          assert.equal(boom.status, 500)
          assert.deepEqual(JSON.parse(boom.body), { statusCode: 500, error: 'Internal Server Error', message: 'Something went wrong' })
          await new Promise((resolve) => setImmediate(resolve))
          assert.deepEqual(warnings.filter((code) => code === 'FSTWRN004'), [])
        } finally {
          process.env.NODE_ENV = saved
          stop()
          await app.close()
        }
      })
    }
  }
})

describe('route-level error handlers', () => {
  test('a route\'s own errorHandler still gets the app\'s errors; token errors get the contract', async () => {
    const app = Fastify()
    await app.register(jwtGuard, { secret: 's' })
    const errorHandler = (_error: Error, _request: unknown, reply: { code: (n: number) => { send: (b: unknown) => void } }) => { reply.code(418).send({ teapot: true }) }
    app.get('/inline', { errorHandler: errorHandler as never }, async (request) => request.verifyJwt())
    app.get('/boom', { errorHandler: errorHandler as never }, async () => { throw new Error('x') })
    assertFailureReply(await get(app, '/inline'), 'missing', 'no token')
    const boom = await get(app, '/boom')
    assert.equal(boom.status, 418)
    assert.deepEqual(JSON.parse(boom.body), { teapot: true })
    await app.close()
  })

  test('an app onError hook runs once for an app error handed on', async () => {
    const app = Fastify()
    const seen: string[] = []
    app.addHook('onError', async (_request, _reply, error) => { seen.push(error.message) })
    await app.register(jwtGuard, { secret: 's' })
    routes(app)
    assert.equal((await get(app, '/boom')).status, 500)
    assert.deepEqual(seen, ['an app error'])
    await app.close()
  })
})

describe('raw @fastify/jwt and fast-jwt errors that reach the error handler', () => {
  async function app (): Promise<FastifyInstance> {
    const instance = Fastify()
    instance.setErrorHandler(maskingHandler)
    await instance.register(jwtGuard, { secret: 's' })
    instance.get('/jwt-verify', async (request) => {
      const token = String(request.headers.authorization).slice(7)
      return instance.jwt.verify(token)
    })
    instance.get('/request-jwt-verify', async (request) => request.jwtVerify())
    instance.get('/key-fetch', async () => { throw new TokenError(TokenError.codes.keyFetchingError, 'Cannot fetch key.') })
    await instance.ready()
    return instance
  }

  test('app.jwt.verify() in a route with an expired token is a 401, not a 500', async () => {
    const saved = process.env.NODE_ENV
    process.env.NODE_ENV = 'production'
    const instance = await app()
    try {
      const expired = instance.jwt.sign({ sub: 'a', exp: Math.floor(Date.now() / 1000) - 10 })
      assertFailureReply(await get(instance, '/jwt-verify', { authorization: `Bearer ${expired}` }), 'expired', 'expired')
      assertFailureReply(await get(instance, '/jwt-verify', { authorization: 'Bearer x.y.z' }), 'malformed', 'malformed')
    } finally {
      process.env.NODE_ENV = saved
      await instance.close()
    }
  })

  test('request.jwtVerify() errors get the contract too', async () => {
    const instance = await app()
    assertFailureReply(await get(instance, '/request-jwt-verify'), 'missing', 'no header')
    const expired = instance.jwt.sign({ sub: 'a', exp: Math.floor(Date.now() / 1000) - 10 })
    assertFailureReply(await get(instance, '/request-jwt-verify', { authorization: `Bearer ${expired}` }), 'expired', 'expired')
    await instance.close()
  })

  test('a key-fetching TokenError is a 503', async () => {
    const instance = await app()
    assertFailureReply(await get(instance, '/key-fetch'), 'unavailable', 'key fetch')
    await instance.close()
  })
})

describe('errorHandler: false', () => {
  test('installs nothing: the app handler gets the guard error, which carries status and headers', async () => {
    const app = Fastify()
    await app.register(jwtGuard, { secret: 's', errorHandler: false })
    routes(app)
    const res = await app.inject('/inline')
    assert.equal(res.statusCode, 401)
    assert.equal(res.headers['www-authenticate'], 'Bearer realm="api"')
    assert.equal(res.json().code, 'FST_JWT_GUARD_NO_TOKEN')
    await app.close()
  })
})

describe('routes the guard\'s error handler does not reach', () => {
  test('a route declared before the guard: the hook still replies; a thrown guard error is the app handler\'s to render', async () => {
    const saved = process.env.NODE_ENV
    const app = Fastify()
    app.setErrorHandler(maskingHandler)
    app.get('/early', async (request) => (request as any).verifyJwt())
    await app.register(jwtGuard, { secret: 's' })
    app.get('/hook', { onRequest: app.authenticate }, async () => 'in')
    try {
      process.env.NODE_ENV = 'production'
      assertFailureReply(await get(app, '/hook'), 'missing', 'hook')
      assert.equal((await get(app, '/early')).status, 500, 'not covered: the masking handler sees the guard error')
      process.env.NODE_ENV = 'development'
      const early = await get(app, '/early')
      assert.equal(early.status, 401, 'a handler that sends the error on gets status and headers from it')
      assert.equal(early.headers['www-authenticate'], 'Bearer realm="api"')
    } finally {
      process.env.NODE_ENV = saved
      await app.close()
    }
  })

  test('verifyJwt() in a global hook on a 404: not covered, app.authenticate is', async () => {
    const app = Fastify()
    await app.register(jwtGuard, { secret: 's' })
    app.addHook('onRequest', app.authenticate)
    assertFailureReply(await get(app, '/nowhere'), 'missing', 'global authenticate on a 404')
    await app.close()
  })
})
