import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import cors from '@fastify/cors'
import Fastify, { type FastifyInstance } from 'fastify'
import jwtGuard from '../lib/index.js'
import type { LogLine } from './helpers/contract-app.js'
import { assertFailureReply } from './helpers/expected.js'
import { SECRET, validToken } from './helpers/tokens.js'
import { request, TRANSPORTS, type Transport } from './helpers/transport.js'

function logged (): { logs: LogLine[], stream: Writable } {
  const logs: LogLine[] = []
  const stream = new Writable({
    write (chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line !== '') logs.push(JSON.parse(line))
      done()
    }
  })
  return { logs, stream }
}

async function listening (app: FastifyInstance, transport: Transport): Promise<FastifyInstance> {
  if (transport === 'socket') await app.listen({ port: 0, host: '127.0.0.1' })
  else await app.ready()
  return app
}

const token = validToken()

for (const transport of TRANSPORTS) {
  describe(`global: true (${transport})`, () => {
    test('every route requires a valid token without naming a hook; config.jwt: false opts out', async () => {
      const app = Fastify()
      await app.register(jwtGuard, { secret: SECRET, global: true })
      app.get('/private', async (request) => ({ user: request.user }))
      app.post('/private', async () => ({ posted: true }))
      app.get('/health', { config: { jwt: false } }, async (request) => ({ user: request.user }))
      await listening(app, transport)
      try {
        assertFailureReply(await request(app, transport, '/private'), 'missing', 'GET without a token')
        assertFailureReply(await request(app, transport, '/private', undefined, { method: 'POST' }), 'missing', 'POST without a token')
        assertFailureReply(await request(app, transport, '/private', 'Bearer not-a-jwt'), 'malformed', 'garbage')
        const ok = await request(app, transport, '/private', `Bearer ${token}`)
        assert.equal(ok.status, 200)
        assert.equal(JSON.parse(ok.body).user.sub, 'user-1')
        const head = await request(app, transport, '/private', undefined, { method: 'HEAD' })
        assert.equal(head.status, 401, 'the HEAD route Fastify adds is guarded too')
        const health = await request(app, transport, '/health', 'Bearer not-a-jwt')
        assert.equal(health.status, 200, 'a public route is never checked, even with garbage')
        assert.equal(health.body, '{"user":null}')
      } finally {
        await app.close()
      }
    })

    test('routes added before the guard, and in child scopes registered before it, are guarded too', async () => {
      const app = Fastify()
      app.get('/early', async () => 'early')
      app.register(async (child) => { child.get('/child-early', async () => 'child') })
      await app.register(jwtGuard, { secret: SECRET, global: true })
      app.register(async (child) => { child.get('/child-late', async () => 'child') }, { prefix: '/v1' })
      await listening(app, transport)
      try {
        for (const url of ['/early', '/child-early', '/v1/child-late']) {
          assertFailureReply(await request(app, transport, url), 'missing', url)
          assert.equal((await request(app, transport, url, `Bearer ${token}`)).status, 200, `${url} with a token`)
        }
      } finally {
        await app.close()
      }
    })

    test('registered inside an encapsulated scope, global mode covers that scope only', async () => {
      const app = Fastify()
      app.get('/docs', async () => 'docs of a third-party plugin')
      app.register(async (api) => {
        await api.register(jwtGuard, { secret: SECRET, global: true })
        api.get('/orders', async () => 'orders')
      }, { prefix: '/api' })
      app.register(async (other) => { other.get('/static', async () => 'static') })
      await listening(app, transport)
      try {
        assertFailureReply(await request(app, transport, '/api/orders'), 'missing', 'inside the scope')
        assert.equal((await request(app, transport, '/docs')).status, 200, 'the parent scope')
        assert.equal((await request(app, transport, '/static')).status, 200, 'a sibling scope')
      } finally {
        await app.close()
      }
    })

    test('an unknown URL still answers 404, not a challenge', async () => {
      const app = Fastify()
      await app.register(jwtGuard, { secret: SECRET, global: true })
      app.get('/private', async () => 'in')
      await listening(app, transport)
      try {
        const answer = await request(app, transport, '/nowhere')
        assert.equal(answer.status, 404)
        assert.equal(answer.headers['www-authenticate'], undefined)
      } finally {
        await app.close()
      }
    })

    const preflight = { origin: 'https://app.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' }

    for (const order of ['before', 'after'] as const) {
      test(`a CORS preflight is never challenged (@fastify/cors registered ${order} the guard); the actual request is`, async () => {
        const app = Fastify()
        if (order === 'before') await app.register(cors, { origin: 'https://app.example' })
        await app.register(jwtGuard, { secret: SECRET, global: true })
        if (order === 'after') await app.register(cors, { origin: 'https://app.example' })
        app.get('/orders', async () => 'orders')
        await listening(app, transport)
        try {
          const answer = await request(app, transport, '/orders', undefined, { method: 'OPTIONS', headers: preflight })
          assert.equal(answer.status, 204)
          assert.equal(answer.headers['access-control-allow-origin'], 'https://app.example')
          assert.equal(answer.headers['www-authenticate'], undefined)
          const actual = await request(app, transport, '/orders', undefined, { headers: { origin: 'https://app.example' } })
          assertFailureReply(actual, 'missing', 'the actual CORS request')
          // @fastify/cors adds its headers in an onRequest hook: one registered after the guard runs after the guard replied.
          assert.equal(actual.headers['access-control-allow-origin'], order === 'before' ? 'https://app.example' : undefined,
            'registered before the guard, cors headers reach the 401, so the browser can read it')
        } finally {
          await app.close()
        }
      })
    }

    test('a CORS preflight is never challenged by an OPTIONS route of the app; another OPTIONS request is', async () => {
      const app = Fastify()
      await app.register(jwtGuard, { secret: SECRET, global: true })
      app.options('/manual', async (_request, reply) => reply.code(204).header('access-control-allow-origin', '*').send())
      app.route({ method: ['OPTIONS'], url: '/listed', handler: async (_request, reply) => reply.code(204).send() })
      await listening(app, transport)
      try {
        const answer = await request(app, transport, '/manual', undefined, { method: 'OPTIONS', headers: preflight })
        assert.equal(answer.status, 204)
        assert.equal(answer.headers['www-authenticate'], undefined)
        assertFailureReply(await request(app, transport, '/manual', undefined, { method: 'OPTIONS' }), 'missing', 'OPTIONS without Access-Control-Request-Method')
        assert.equal((await request(app, transport, '/listed', undefined, { method: 'OPTIONS', headers: preflight })).status, 204, 'method: [\'OPTIONS\']')
        const noOrigin = { 'access-control-request-method': 'GET' }
        assertFailureReply(await request(app, transport, '/manual', undefined, { method: 'OPTIONS', headers: noOrigin }), 'missing', 'a preflight has an Origin')
      } finally {
        await app.close()
      }
    })

    test('preflight headers do not open a route whose handler also serves other methods (found in review)', async () => {
      let ran = 0
      const app = Fastify()
      await app.register(jwtGuard, { secret: SECRET, global: true })
      app.all('/export', async () => { ran++; return 'all the data' })
      app.route({ method: ['GET', 'OPTIONS'], url: '/strict', onRequest: app.authenticate, config: { jwt: { scopes: ['admin'] } }, handler: async () => { ran++; return 'in' } })
      await listening(app, transport)
      try {
        for (const url of ['/export', '/strict']) {
          assertFailureReply(await request(app, transport, url, undefined, { method: 'OPTIONS', headers: preflight }), 'missing', url)
        }
        assert.equal(ran, 0)
      } finally {
        await app.close()
      }
    })
  })
}

describe('global: false (the default)', () => {
  test('a route without config.jwt is not checked; a route with a policy is, even without app.authenticate', async () => {
    const app = Fastify()
    await app.register(jwtGuard, { secret: SECRET })
    app.get('/open', async () => 'open')
    app.get('/required', { config: { jwt: true } }, async (request) => ({ user: request.user }))
    app.get('/scoped', { config: { jwt: { scopes: ['orders:write'] } } }, async () => 'scoped')
    try {
      assert.equal((await app.inject('/open')).statusCode, 200)
      assertFailureReply(await request(app, 'inject', '/required'), 'missing', 'config.jwt: true')
      assert.equal((await app.inject({ url: '/required', headers: { authorization: `Bearer ${token}` } })).statusCode, 200)
      assertFailureReply(await request(app, 'inject', '/scoped', `Bearer ${token}`), 'insufficient_scope', 'a scoped route that forgot app.authenticate', ['orders:write'])
    } finally {
      await app.close()
    }
  })

  test('config.jwt: false makes app.authenticate, in a route or as a scope hook, let the route through', async () => {
    const app = Fastify()
    await app.register(jwtGuard, { secret: SECRET })
    app.register(async (scope) => {
      scope.addHook('onRequest', scope.authenticate)
      scope.get('/private', async () => 'private')
      scope.get('/health', { config: { jwt: false } }, async () => 'health')
    })
    app.get('/hooked-public', { onRequest: app.authenticate, config: { jwt: false } }, async () => 'public')
    try {
      assertFailureReply(await request(app, 'inject', '/private'), 'missing', 'scope hook')
      assert.equal((await app.inject('/health')).statusCode, 200)
      assert.equal((await app.inject('/hooked-public')).statusCode, 200)
    } finally {
      await app.close()
    }
  })

  test('two hooks on one route (global and app.authenticate) verify once', async () => {
    let asked = 0
    const app = Fastify()
    await app.register(jwtGuard, { secret: async () => { asked++; return SECRET }, global: true })
    app.get('/twice', { onRequest: app.authenticate, preHandler: app.authenticate }, async () => 'in')
    try {
      const res = await app.inject({ url: '/twice', headers: { authorization: `Bearer ${token}` } })
      assert.equal(res.statusCode, 200)
      assert.equal(asked, 1, 'the key was asked for once')
    } finally {
      await app.close()
    }
  })
})

describe('route policies are checked at start-up', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['a typo in a key', { scope: ['a'] }, /unknown option "config\.jwt\.scope" of route GET \/typo; it takes optional, scopes, anyScope, allow/],
    ['a string for scopes', { scopes: 'orders:write' }, /"config\.jwt\.scopes" option of route GET \/typo must be a non-empty array of scope tokens/],
    ['an empty scopes list', { scopes: [] }, /"config\.jwt\.scopes" option of route GET \/typo must be a non-empty array/],
    ['a scope with a space', { anyScope: ['a b'] }, /"config\.jwt\.anyScope" option of route GET \/typo must be a non-empty array of scope tokens/],
    ['a scope with a quote', { scopes: ['a"b'] }, /"config\.jwt\.scopes" option/],
    ['optional not a boolean', { optional: 'yes' }, /"config\.jwt\.optional" option of route GET \/typo must be a boolean, got string/],
    ['allow not a function', { allow: true }, /"config\.jwt\.allow" option of route GET \/typo must be a function, got boolean/],
    ['a string policy', 'admin', /"config\.jwt" option of route GET \/typo must be false, true or an object, got "admin"/],
    ['an array policy', ['admin'], /"config\.jwt" option of route GET \/typo must be false, true or an object/]
  ]
  for (const [name, jwt, message] of cases) {
    test(`${name}: the route is refused with the route and the option named`, async () => {
      const app = Fastify()
      await app.register(jwtGuard, { secret: SECRET })
      assert.throws(() => app.get('/typo', { config: { jwt: jwt as never } }, async () => 'x'), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'FST_JWT_GUARD_INVALID_OPTION')
        assert.match(error.message, message)
        return true
      })
      await app.close()
    })
  }

  test('a route added before the guard is checked on its first request, and a mistake is never a pass', async () => {
    const app = Fastify()
    app.get('/early', { config: { jwt: { scope: ['a'] } as never } }, async () => 'in')
    await app.register(jwtGuard, { secret: SECRET, global: true })
    try {
      for (let i = 0; i < 2; i++) {
        const res = await app.inject({ url: '/early', headers: { authorization: `Bearer ${token}` } })
        assert.equal(res.statusCode, 500)
        assert.equal(res.json().code, 'FST_JWT_GUARD_INVALID_OPTION')
      }
    } finally {
      await app.close()
    }
  })
})

describe('the public routes are logged once at ready, at info', () => {
  test('in global mode: every route that opted out, by method and URL', async () => {
    const { logs, stream } = logged()
    const app = Fastify({ logger: { level: 'info', stream } })
    await app.register(jwtGuard, { secret: SECRET, global: true })
    app.get('/health', { config: { jwt: false } }, async () => 'ok')
    app.post('/login', { config: { jwt: false } }, async () => 'ok')
    app.get('/private', async () => 'ok')
    app.register(async (child) => { child.get('/docs', { config: { jwt: false } }, async () => 'ok') }, { prefix: '/v1' })
    await app.ready()
    const lines = logs.filter((line) => line.jwtGuard !== undefined)
    assert.equal(lines.length, 1)
    assert.equal(lines[0].level, 30)
    assert.deepEqual((lines[0].jwtGuard as { publicRoutes: string[] }).publicRoutes, ['GET /health', 'HEAD /health', 'POST /login', 'GET /v1/docs', 'HEAD /v1/docs'])
    assert.equal(lines[0].msg, 'jwt-guard: global mode, 5 public route(s): GET /health, HEAD /health, POST /login, GET /v1/docs, HEAD /v1/docs')
    await app.close()
  })

  test('in global mode with no public route, the line says so', async () => {
    const { logs, stream } = logged()
    const app = Fastify({ logger: { level: 'info', stream } })
    await app.register(jwtGuard, { secret: SECRET, global: true })
    app.get('/private', async () => 'ok')
    await app.ready()
    const lines = logs.filter((line) => line.jwtGuard !== undefined)
    assert.deepEqual(lines.map((line) => line.msg), ['jwt-guard: global mode, 0 public route(s)'])
    await app.close()
  })

  test('outside global mode nothing is logged: public is the default there', async () => {
    const { logs, stream } = logged()
    const app = Fastify({ logger: { level: 'info', stream } })
    await app.register(jwtGuard, { secret: SECRET })
    app.get('/health', { config: { jwt: false } }, async () => 'ok')
    await app.ready()
    assert.equal(logs.filter((line) => line.jwtGuard !== undefined).length, 0)
    await app.close()
  })
})
