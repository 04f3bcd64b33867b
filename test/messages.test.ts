import { test } from 'node:test'
import assert from 'node:assert/strict'
import { guardedApp, bearer } from './helpers/app.js'
import { bodyMessages } from '../lib/messages.js'

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
