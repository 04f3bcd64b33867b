import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import fastifyAuth from '@fastify/auth'
import Fastify, { type FastifyInstance } from 'fastify'
import jwtGuard from '../lib/index.js'
import type { JwtGuardOptions } from '../types/index.js'
import { maskingHandler } from './helpers/contract-app.js'
import { assertFailureReply } from './helpers/expected.js'
import { SECRET, validToken } from './helpers/tokens.js'
import { request, TRANSPORTS } from './helpers/transport.js'

async function appWith (options: Partial<JwtGuardOptions>, routes: (app: FastifyInstance) => void): Promise<FastifyInstance> {
  const app = Fastify()
  await app.register(jwtGuard, { secret: SECRET, ...options } as JwtGuardOptions)
  routes(app)
  await app.ready()
  return app
}

const auth = (claims: Record<string, unknown>) => `Bearer ${validToken(claims)}`

for (const transport of TRANSPORTS) {
  describe(`scopes (${transport})`, () => {
    test('scopes: all are required, from scope and scp together; the 403 names every one', async () => {
      const app = await appWith({ global: true }, (app) => {
        app.get('/both', { config: { jwt: { scopes: ['orders:read', 'orders:write'] } } }, async () => 'in')
      })
      if (transport === 'socket') await app.listen({ port: 0, host: '127.0.0.1' })
      try {
        assert.equal((await request(app, transport, '/both', auth({ scope: 'orders:write orders:read' }))).status, 200)
        assert.equal((await request(app, transport, '/both', auth({ scope: 'orders:read  orders:write ' }))).status, 200, 'extra spaces')
        assert.equal((await request(app, transport, '/both', auth({ scope: 'orders:read', scp: ['orders:write'] }))).status, 200, 'scope and scp together')
        assertFailureReply(await request(app, transport, '/both', auth({ scope: 'orders:read' })), 'insufficient_scope', 'one of two', ['orders:read', 'orders:write'])
        assertFailureReply(await request(app, transport, '/both', auth({ scope: 'orders:readorders:write' })), 'insufficient_scope', 'no partial match', ['orders:read', 'orders:write'])
        assertFailureReply(await request(app, transport, '/both', auth({ scp: [['orders:read'], 'orders:write'] })), 'insufficient_scope', 'non-string entries are not scopes', ['orders:read', 'orders:write'])
      } finally {
        await app.close()
      }
    })

    test('anyScope: one is enough; the 403 names the required scopes and the alternatives', async () => {
      const app = await appWith({}, (app) => {
        app.get('/any', { onRequest: app.authenticate, config: { jwt: { anyScope: ['admin', 'orders:write'] } } }, async () => 'in')
        app.get('/mixed', { onRequest: app.authenticate, config: { jwt: { scopes: ['orders:read'], anyScope: ['orders:read', 'admin'] } } }, async () => 'in')
      })
      if (transport === 'socket') await app.listen({ port: 0, host: '127.0.0.1' })
      try {
        assert.equal((await request(app, transport, '/any', auth({ scope: 'orders:write' }))).status, 200)
        assert.equal((await request(app, transport, '/any', auth({ permissions: ['admin'] }))).status, 200)
        assertFailureReply(await request(app, transport, '/any', auth({ scope: 'orders:read' })), 'insufficient_scope', 'none of them', ['admin', 'orders:write'])
        assert.equal((await request(app, transport, '/mixed', auth({ scope: 'orders:read' }))).status, 200)
        assertFailureReply(await request(app, transport, '/mixed', auth({ scope: 'admin' })), 'insufficient_scope', 'the required one is missing', ['orders:read'])
        assertFailureReply(await request(app, transport, '/mixed', auth({})), 'insufficient_scope', 'both missing, each named once', ['orders:read', 'admin'])
      } finally {
        await app.close()
      }
    })
  })
}

describe('scopeClaim', () => {
  test('names the only claim scopes are read from: a string or an array', async () => {
    const app = await appWith({ scopeClaim: 'roles' }, (app) => {
      app.get('/admin', { config: { jwt: { scopes: ['admin'] } } }, async () => 'in')
    })
    assert.equal((await app.inject({ url: '/admin', headers: { authorization: auth({ roles: ['admin'] }) } })).statusCode, 200)
    assert.equal((await app.inject({ url: '/admin', headers: { authorization: auth({ roles: 'user admin' }) } })).statusCode, 200)
    assert.equal((await app.inject({ url: '/admin', headers: { authorization: auth({ scope: 'admin' }) } })).statusCode, 403, 'scope is not read any more')
    await app.close()
  })

  test('a list of claims is read together', async () => {
    const app = await appWith({ scopeClaim: ['roles', 'groups'] }, (app) => {
      app.get('/admin', { config: { jwt: { scopes: ['admin', 'staff'] } } }, async () => 'in')
    })
    assert.equal((await app.inject({ url: '/admin', headers: { authorization: auth({ roles: ['admin'], groups: 'staff' }) } })).statusCode, 200)
    await app.close()
  })

  test('with verify.complete, scopes and allow read the payload (allow found in review)', async () => {
    const app = await appWith({ verify: { complete: true } }, (app) => {
      app.get('/scoped', { config: { jwt: { scopes: ['a'] } } }, async (request) => ({ user: request.user }))
      app.get('/admin', { config: { jwt: { allow: (claims) => claims.role === 'admin' } } }, async () => 'admin')
    })
    assert.equal((await app.inject({ url: '/admin', headers: { authorization: auth({ role: 'admin' }) } })).statusCode, 200)
    assert.equal((await app.inject({ url: '/admin', headers: { authorization: auth({ role: 'user' }) } })).statusCode, 403)
    const ok = await app.inject({ url: '/scoped', headers: { authorization: auth({ scope: 'a' }) } })
    assert.equal(ok.statusCode, 200)
    assert.equal(ok.json().user.payload.scope, 'a')
    assert.equal((await app.inject({ url: '/scoped', headers: { authorization: auth({ scope: 'b' }) } })).statusCode, 403)
    await app.close()
  })
})

describe('allow', () => {
  test('only true allows: false, a truthy value, a forgotten return and a promise of anything else are 403', async () => {
    const verdicts: Record<string, unknown> = { yes: true, no: false, truthy: 'yes', nothing: undefined, asyncYes: Promise.resolve(true), asyncTruthy: Promise.resolve(1) }
    const app = await appWith({ global: true }, (app) => {
      app.get('/:verdict', { config: { jwt: { allow: (_claims, request) => verdicts[(request.params as { verdict: string }).verdict] as boolean } } }, async () => 'in')
    })
    const expected: Record<string, number> = { yes: 200, no: 403, truthy: 403, nothing: 403, asyncYes: 200, asyncTruthy: 403 }
    for (const [verdict, status] of Object.entries(expected)) {
      const res = await app.inject({ url: `/${verdict}`, headers: { authorization: auth({}) } })
      assert.equal(res.statusCode, status, verdict)
      if (status === 403) assertFailureReply({ status: res.statusCode, headers: res.headers as Record<string, string>, body: res.body }, 'forbidden', verdict)
    }
    await app.close()
  })

  test('gets the verified claims and the request, after the scopes passed', async () => {
    const seen: unknown[] = []
    const app = await appWith({}, (app) => {
      app.get('/orders/:tenant', {
        config: { jwt: { scopes: ['orders:read'], allow: (claims, request) => { seen.push(claims.sub); return claims.tenant === (request.params as { tenant: string }).tenant } } }
      }, async () => 'in')
    })
    assert.equal((await app.inject({ url: '/orders/acme', headers: { authorization: auth({ scope: 'orders:read', tenant: 'acme' }) } })).statusCode, 200)
    assert.equal((await app.inject({ url: '/orders/other', headers: { authorization: auth({ scope: 'orders:read', tenant: 'acme' }) } })).statusCode, 403)
    assert.equal((await app.inject({ url: '/orders/acme', headers: { authorization: auth({ tenant: 'acme' }) } })).statusCode, 403)
    assert.deepEqual(seen, ['user-1', 'user-1'], 'not asked when the scopes already failed')
    await app.close()
  })

  for (const mode of ['throws', 'rejects'] as const) {
    test(`a predicate that ${mode} is the app's own error (a 500 through its handler), never a pass`, async () => {
      let handled = 0
      const saved = process.env.NODE_ENV
      process.env.NODE_ENV = 'production'
      const app = Fastify()
      app.setErrorHandler(maskingHandler)
      await app.register(jwtGuard, { secret: SECRET, global: true })
      const allow = mode === 'throws' ? () => { throw new Error('predicate bug') } : () => Promise.reject(new Error('predicate bug'))
      app.get('/hook', { config: { jwt: { allow } } }, async () => { handled++; return 'in' })
      app.get('/inline', { config: { jwt: false } }, async (request) => { await request.verifyJwt({ allow }); handled++; return 'in' })
      try {
        for (const url of ['/hook', '/inline']) {
          const res = await app.inject({ url, headers: { authorization: auth({}) } })
          assert.equal(res.statusCode, 500, url)
          assert.equal(res.json().message, 'Something went wrong', `${url}: the app's handler answered`)
          assert.equal(res.headers['www-authenticate'], undefined)
        }
        assert.equal(handled, 0, 'the route handler never ran')
      } finally {
        process.env.NODE_ENV = saved
        await app.close()
      }
    })
  }
})

describe('request.verifyJwt(options)', () => {
  test('optional: null without credentials, the claims with a valid token, a rejection for a bad one', async () => {
    const app = await appWith({}, (app) => {
      app.get('/me', async (request) => ({ claims: await request.verifyJwt({ optional: true }) }))
    })
    assert.deepEqual((await app.inject('/me')).json(), { claims: null })
    assert.equal((await app.inject({ url: '/me', headers: { authorization: auth({}) } })).json().claims.sub, 'user-1')
    const bad = await app.inject({ url: '/me', headers: { authorization: 'Bearer not-a-jwt' } })
    assert.equal(bad.statusCode, 401)
    assert.equal(bad.json().code, 'FST_JWT_GUARD_TOKEN_MALFORMED')
    await app.close()
  })

  test('scopes: the rejection is a guard error with status, challenge and requiredScopes', async () => {
    let caught: unknown
    const app = await appWith({}, (app) => {
      app.get('/check', async (request) => {
        try {
          await request.verifyJwt({ scopes: ['orders:write'] })
        } catch (error) {
          caught = error
          throw error
        }
        return 'in'
      })
    })
    const res = await app.inject({ url: '/check', headers: { authorization: auth({ scope: 'orders:read' }) } })
    assertFailureReply({ status: res.statusCode, headers: res.headers as Record<string, string>, body: res.body }, 'insufficient_scope', 'verifyJwt', ['orders:write'])
    assert.equal(jwtGuard.isJwtGuardError(caught), true)
    const error = caught as { statusCode: number, code: string, requiredScopes: string[], headers: Record<string, string> }
    assert.equal(error.statusCode, 403)
    assert.equal(error.code, 'FST_JWT_GUARD_INSUFFICIENT_SCOPE')
    assert.deepEqual(error.requiredScopes, ['orders:write'])
    assert.equal(error.headers['www-authenticate'], 'Bearer realm="api", error="insufficient_scope", error_description="The token does not grant the scope this route requires", scope="orders:write"')
    await app.close()
  })

  test('only its own options apply, not the route\'s config.jwt', async () => {
    const app = await appWith({}, (app) => {
      app.get('/optional-route', { config: { jwt: false } }, async (request) => ({ claims: await request.verifyJwt() }))
    })
    assert.equal((await app.inject('/optional-route')).statusCode, 401)
    await app.close()
  })

  test('bad options are a programmer error: the app\'s 500 with the option named, never a pass', async () => {
    const app = await appWith({}, (app) => {
      app.get('/typo', async (request) => request.verifyJwt({ scope: ['a'] } as never))
      app.get('/boolean', async (request) => request.verifyJwt(true as never))
      app.get('/null', async (request) => request.verifyJwt(null as never))
    })
    for (const [url, message] of [
      ['/typo', 'fastify-jwt-guard: unknown option "scope" of request.verifyJwt(); it takes optional, scopes, anyScope, allow'],
      ['/boolean', 'fastify-jwt-guard: request.verifyJwt() takes an options object, got boolean'],
      ['/null', 'fastify-jwt-guard: request.verifyJwt() takes an options object, got null']
    ]) {
      const res = await app.inject({ url, headers: { authorization: auth({}) } })
      assert.equal(res.statusCode, 500, url)
      assert.equal(res.json().code, 'FST_JWT_GUARD_INVALID_OPTION')
      assert.equal(res.json().message, message)
    }
    await app.close()
  })

  test('scopes chosen per request still render right beyond the renderer\'s cache', async () => {
    const app = await appWith({}, (app) => {
      app.get('/tenant/:id', async (request) => request.verifyJwt({ scopes: [`tenant:${(request.params as { id: string }).id}`] }))
    })
    for (let i = 0; i < 1005; i += 1) {
      const res = await app.inject({ url: `/tenant/${i}`, headers: { authorization: auth({}) } })
      if (i % 250 === 0 || i > 1000) assert.equal(res.headers['www-authenticate'], `Bearer realm="api", error="insufficient_scope", error_description="The token does not grant the scope this route requires", scope="tenant:${i}"`)
    }
    await app.close()
  })
})

describe('@fastify/auth strategy', () => {
  test('applies the route policy: public passes, scopes are a 403 the error handler renders', async () => {
    const app = Fastify()
    await app.register(fastifyAuth)
    await app.register(jwtGuard, { secret: SECRET })
    app.get('/scoped', { preHandler: app.auth([app.authenticateStrategy]), config: { jwt: { scopes: ['a'] } } }, async () => 'in')
    app.get('/public', { preHandler: app.auth([app.authenticateStrategy]), config: { jwt: false } }, async () => 'in')
    app.get('/optional', { preHandler: app.auth([app.authenticateStrategy]), config: { jwt: { optional: true } } }, async (request) => ({ user: request.user }))
    const scoped = await app.inject({ url: '/scoped', headers: { authorization: auth({ scope: 'b' }) } })
    assertFailureReply({ status: scoped.statusCode, headers: scoped.headers as Record<string, string>, body: scoped.body }, 'insufficient_scope', 'strategy', ['a'])
    assert.equal((await app.inject({ url: '/scoped', headers: { authorization: auth({ scope: 'a' }) } })).statusCode, 200)
    assert.equal((await app.inject('/public')).statusCode, 200)
    assert.deepEqual((await app.inject('/optional')).json(), { user: null })
    await app.close()
  })
})
