import { test } from 'node:test'
import assert from 'node:assert/strict'
import { guardedApp, bearer } from './helpers/app.js'
import { bodyMessages } from '../lib/messages.js'
import { normaliseOptions } from '../lib/options.js'

test('@fastify/jwt message strings become the body messages of the matching kinds', async () => {
  const app = await guardedApp({
    secret: 's',
    messages: {
      noAuthorizationInHeaderMessage: 'Log in first',
      authorizationTokenExpiredMessage: 'Session over',
      authorizationTokenInvalid: 'Bad token',
      badRequestErrorMessage: 'Use Bearer'
    }
  })
  assert.equal((await app.inject('/hook')).json().message, 'Log in first')
  assert.equal((await app.inject({ url: '/hook', headers: bearer(app.jwt.sign({ sub: 'a', exp: 1 })) })).json().message, 'Session over')
  assert.equal((await app.inject({ url: '/inline', headers: bearer('x.y.z') })).json().message, 'Bad token')
  const bad = await app.inject({ url: '/hook', headers: { authorization: 'Bearer a b' } })
  assert.equal(bad.json().message, 'Use Bearer')
  assert.equal(bad.headers['www-authenticate'], 'Bearer realm="api", error="invalid_request", error_description="The Authorization header must be: Bearer <token>"')
  await app.close()
})

test('a function message, which @fastify/jwt feeds the upstream error, is not used', () => {
  const messages = bodyMessages({ authorizationTokenInvalid: (error: Error) => `Invalid: ${error.message}`, authorizationTokenUntrusted: '' })
  assert.equal(messages.invalid, 'The token is invalid')
  assert.equal(messages.untrusted, 'The token is not trusted')
})

test('with onlyCookie, noAuthorizationInCookieMessage is the message for no credentials', async () => {
  const { default: fastifyCookie } = await import('@fastify/cookie')
  const { default: Fastify } = await import('fastify')
  const { default: jwtGuard } = await import('../lib/index.js')
  const app = Fastify()
  await app.register(fastifyCookie)
  await app.register(jwtGuard, { secret: 's', cookie: { cookieName: 't', signed: false }, verify: { onlyCookie: true }, messages: { noAuthorizationInCookieMessage: 'No cookie' } })
  app.get('/', { onRequest: app.authenticate }, async () => 'in')
  assert.equal((await app.inject('/')).json().message, 'No cookie')
  await app.close()
  assert.equal(bodyMessages({ noAuthorizationInCookieMessage: 'No cookie' }).missing, 'No bearer token was found in the request')
})

test('messages by failure kind win over @fastify/jwt\'s, and are not handed to @fastify/jwt', async () => {
  const app = await guardedApp({
    secret: 's',
    messages: { authorizationTokenInvalid: 'Bad token', malformed: 'That is not a JWT', insufficient_scope: 'Ask for orders:write', missing: 'Sign in' }
  })
  app.get('/scoped', { config: { jwt: { scopes: ['orders:write'] } } }, async () => 'in')
  assert.equal((await app.inject('/hook')).json().message, 'Sign in')
  assert.equal((await app.inject({ url: '/hook', headers: bearer('x.y.z') })).json().message, 'That is not a JWT')
  assert.equal((await app.inject({ url: '/hook', headers: bearer(app.jwt.sign({ sub: 'a' }, { key: 'other' })) })).json().message, 'Bad token')
  assert.equal((await app.inject({ url: '/scoped', headers: bearer(app.jwt.sign({ sub: 'a' })) })).json().message, 'Ask for orders:write')
  await app.close()
  const { jwtOptions } = normaliseOptions({ secret: 's', messages: { authorizationTokenInvalid: 'Bad token', malformed: 'x' } }, false)
  assert.deepEqual(jwtOptions?.messages, { authorizationTokenInvalid: 'Bad token' }, '@fastify/jwt gets its own keys only')
})

test('with an app-registered @fastify/jwt, messages by kind are the guard\'s to take; its own keys are refused', async () => {
  const { default: Fastify } = await import('fastify')
  const { default: fastifyJwt } = await import('@fastify/jwt')
  const { default: jwtGuard } = await import('../lib/index.js')
  const app = Fastify()
  await app.register(fastifyJwt, { secret: 's' })
  await app.register(jwtGuard, { messages: { missing: 'Sign in' } })
  app.get('/', { onRequest: app.authenticate }, async () => 'in')
  assert.equal((await app.inject('/')).json().message, 'Sign in')
  await app.close()

  const refused = Fastify()
  await refused.register(fastifyJwt, { secret: 's' })
  refused.register(jwtGuard, { messages: { noAuthorizationInHeaderMessage: 'x' } })
  await assert.rejects(async () => { await refused.ready() }, /"messages.noAuthorizationInHeaderMessage" belongs to the @fastify\/jwt registered in this scope; give the guard messages by failure kind/)
})
