import { test } from 'node:test'
import assert from 'node:assert/strict'
import { guardedApp, bearer } from './helpers/app.js'
import { hmacToken } from './helpers/tokens.js'

test('stack capture is switched off only while fast-jwt runs, and restored after a failure', async () => {
  const app = await guardedApp({ secret: 's' })
  const before = Error.stackTraceLimit
  const forged = hmacToken({ alg: 'HS256', typ: 'JWT' }, { sub: 'a' }, 'not-the-secret')
  assert.equal((await app.inject({ url: '/hook', headers: bearer(forged) })).statusCode, 401)
  assert.equal(Error.stackTraceLimit, before)
  assert.ok(String(new Error('after').stack).includes('pipeline.test'))
  await app.close()
})

test('a dynamic secret is not asked for a token the prescreen already rejected', async () => {
  let asked = 0
  const app = await guardedApp({ secret: async () => { asked++; return 's' } })
  assert.equal((await app.inject({ url: '/hook', headers: bearer('garbage') })).json().code, 'FST_JWT_GUARD_TOKEN_MALFORMED')
  assert.equal(asked, 0)
  await app.close()
})

test('a throw nothing foresaw while verifying is still a 401 (default-deny)', async () => {
  const app = await guardedApp({ secret: 's' })
  const request = { get headers (): never { throw new TypeError('unforeseen') }, routeOptions: { config: {} }, log: { info () {}, error () {} } }
  let status = 0
  const reply = { sent: false, code (s: number) { status = s; return reply }, headers () { return reply }, type () { return reply }, send () { return reply } }
  await app.authenticate(request as never, reply as never)
  assert.equal(status, 401)
  await assert.rejects(app.authenticateStrategy(request as never, reply as never), { code: 'FST_JWT_GUARD_TOKEN_INVALID' })
  await app.close()
})

test('with a secret function, a header the decoder refuses is answered before the function is asked', async () => {
  let asked = 0
  const app = await guardedApp({ secret: async () => { asked++; return 's' } })
  const payload = Buffer.from('{"sub":"a"}').toString('base64url')
  const res = await app.inject({ url: '/hook', headers: bearer(`bm90LWpzb24.${payload}.c2ln`) })
  assert.equal(res.json().code, 'FST_JWT_GUARD_TOKEN_MALFORMED')
  assert.equal(asked, 0)
  await app.close()
})
