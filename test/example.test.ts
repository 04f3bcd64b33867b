import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { Writable } from 'node:stream'
import { buildApp, demoAdmin, demoUser } from '../examples/app.js'

const SECRET = 'example-test-secret-that-is-long-enough-for-hs256'

describe('the example app', () => {
  let app: FastifyInstance

  before(async () => {
    app = await buildApp({ secret: SECRET, logger: false })
    await app.ready()
  })

  after(() => app.close())

  async function login (credentials: object): Promise<{ statusCode: number, body: Record<string, unknown> }> {
    const response = await app.inject({ method: 'POST', url: '/login', payload: credentials })
    return { statusCode: response.statusCode, body: response.json() }
  }

  test('logging in as the demo user gives a token that /me accepts and answers with its claims', async () => {
    const { statusCode, body } = await login(demoUser)
    assert.equal(statusCode, 200)
    assert.equal(typeof body.token, 'string')

    const me = await app.inject({ url: '/me', headers: { authorization: `Bearer ${body.token}` } })
    assert.equal(me.statusCode, 200)
    const user = me.json()
    assert.equal(user.sub, demoUser.username)
    assert.equal(user.exp - user.iat, 15 * 60, 'the token lasts 15 minutes')
  })

  test('/inline answers a valid token with its subject', async () => {
    const { body } = await login(demoUser)
    const response = await app.inject({ url: '/inline', headers: { authorization: `Bearer ${body.token}` } })
    assert.equal(response.statusCode, 200)
    assert.deepEqual(response.json(), { sub: demoUser.username })
  })

  test('a wrong password is answered 401 with a JSON error and no token', async () => {
    const { statusCode, body } = await login({ username: demoUser.username, password: 'not the password' })
    assert.equal(statusCode, 401)
    assert.deepEqual(body, {
      statusCode: 401,
      code: 'INVALID_CREDENTIALS',
      error: 'Unauthorized',
      message: 'Unknown username or wrong password'
    })
  })

  test('a login without a password is answered 400 by the body schema', async () => {
    const { statusCode } = await login({ username: demoUser.username })
    assert.equal(statusCode, 400)
  })

  test('/me without a token is 401 with the bare Bearer challenge', async () => {
    const response = await app.inject({ url: '/me' })
    assert.equal(response.statusCode, 401)
    assert.equal(response.headers['www-authenticate'], 'Bearer realm="api"')
    assert.deepEqual(response.json(), {
      statusCode: 401,
      code: 'FST_JWT_GUARD_NO_TOKEN',
      error: 'Unauthorized',
      message: 'No bearer token was found in the request'
    })
  })

  test('/inline with a garbage token is 401 invalid_token', async () => {
    const response = await app.inject({ url: '/inline', headers: { authorization: 'Bearer not-a-jwt' } })
    assert.equal(response.statusCode, 401)
    assert.equal(response.headers['www-authenticate'],
      'Bearer realm="api", error="invalid_token", error_description="The token is malformed"')
    assert.equal(response.json().code, 'FST_JWT_GUARD_TOKEN_MALFORMED')
  })

  test('/inline with an expired token is 401 invalid_token with a description that says it expired', async () => {
    const expired = app.jwt.sign({ sub: demoUser.username, iat: 978307200, exp: 978308100 })
    const response = await app.inject({ url: '/inline', headers: { authorization: `Bearer ${expired}` } })
    assert.equal(response.statusCode, 401)
    assert.equal(response.headers['www-authenticate'],
      'Bearer realm="api", error="invalid_token", error_description="The token has expired"')
    assert.equal(response.json().code, 'FST_JWT_GUARD_TOKEN_EXPIRED')
  })

  test('an Authorization header of "Bearer a b" is 400 invalid_request', async () => {
    for (const url of ['/me', '/inline']) {
      const response = await app.inject({ url, headers: { authorization: 'Bearer a b' } })
      assert.equal(response.statusCode, 400, url)
      assert.equal(response.headers['www-authenticate'],
        'Bearer realm="api", error="invalid_request", error_description="The Authorization header must be: Bearer <token>"', url)
      assert.equal(response.json().code, 'FST_JWT_GUARD_BAD_REQUEST', url)
    }
  })

  test('/health needs no token', async () => {
    const response = await app.inject({ url: '/health' })
    assert.equal(response.statusCode, 200)
    assert.deepEqual(response.json(), { status: 'ok' })
  })

  async function tokenOf (credentials: object): Promise<string> {
    const { body } = await login(credentials)
    return body.token as string
  }

  test('global mode: a route without config needs a token', async () => {
    const response = await app.inject({ url: '/me' })
    assert.equal(response.statusCode, 401)
  })

  test('/articles is optional: anonymous readers get the public ones, a bad token is still 401', async () => {
    const anonymous = await app.inject({ url: '/articles' })
    assert.equal(anonymous.statusCode, 200)
    assert.deepEqual(anonymous.json(), { member: false, articles: [{ id: 1, title: 'Down the Rabbit-Hole', members: false }] })
    const member = await app.inject({ url: '/articles', headers: { authorization: `Bearer ${await tokenOf(demoUser)}` } })
    assert.equal(member.json().member, true)
    assert.equal(member.json().articles.length, 2)
    const bad = await app.inject({ url: '/articles', headers: { authorization: 'Bearer not-a-jwt' } })
    assert.equal(bad.statusCode, 401)
  })

  test('POST /orders needs orders:write: alice gets 403 insufficient_scope naming it, the admin 201', async () => {
    const alice = await app.inject({ method: 'POST', url: '/orders', headers: { authorization: `Bearer ${await tokenOf(demoUser)}` } })
    assert.equal(alice.statusCode, 403)
    assert.equal(alice.headers['www-authenticate'],
      'Bearer realm="api", error="insufficient_scope", error_description="The token does not grant the scope this route requires", scope="orders:write"')
    assert.equal(alice.json().code, 'FST_JWT_GUARD_INSUFFICIENT_SCOPE')
    const admin = await app.inject({ method: 'POST', url: '/orders', headers: { authorization: `Bearer ${await tokenOf(demoAdmin)}` } })
    assert.equal(admin.statusCode, 201)
  })

  test('/admin/stats is for admins: alice gets 403 forbidden, the admin 200', async () => {
    const alice = await app.inject({ url: '/admin/stats', headers: { authorization: `Bearer ${await tokenOf(demoUser)}` } })
    assert.equal(alice.statusCode, 403)
    assert.equal(alice.json().code, 'FST_JWT_GUARD_FORBIDDEN')
    const admin = await app.inject({ url: '/admin/stats', headers: { authorization: `Bearer ${await tokenOf(demoAdmin)}` } })
    assert.equal(admin.statusCode, 200)
    assert.deepEqual(admin.json(), { articles: 2 })
  })

  test('the admin logs in with their own password only', async () => {
    const { statusCode } = await login({ username: demoAdmin.username, password: demoUser.password })
    assert.equal(statusCode, 401)
  })
})

test('the example logs its public routes at start-up', async () => {
  const lines: Array<{ msg: string }> = []
  const stream = new Writable({ write (chunk, _encoding, done) { lines.push(JSON.parse(String(chunk))); done() } })
  const app = await buildApp({ secret: SECRET, logger: { level: 'info', stream } })
  await app.ready()
  assert.deepEqual(lines.map((line) => line.msg), ['jwt-guard: global mode, 5 public route(s): GET /health, HEAD /health, POST /login, GET /inline, HEAD /inline'])
  await app.close()
})
