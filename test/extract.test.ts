import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import Fastify from 'fastify'
import fastifyCookie from '@fastify/cookie'
import jwtGuard from '../lib/index.js'
import type { JwtGuardOptions } from '../types/index.js'

async function codeFor (options: JwtGuardOptions, headers: Record<string, string | string[]>, withCookies = true): Promise<[number, string | undefined]> {
  const app = Fastify()
  if (withCookies) await app.register(fastifyCookie, { secret: 'cookie-secret' })
  await app.register(jwtGuard, options)
  app.get('/', { onRequest: app.authenticate }, async () => ({ ok: true }))
  await app.ready()
  const res = await app.inject({ url: '/', headers })
  await app.close()
  return [res.statusCode, res.statusCode === 200 ? undefined : res.json().code]
}

async function token (): Promise<string> {
  const app = Fastify()
  await app.register(jwtGuard, { secret: 's' })
  const value = app.jwt.sign({ sub: 'a' })
  await app.close()
  return value
}

describe('the Authorization header', () => {
  test('the scheme is case-insensitive and extra spaces around the token are allowed', async () => {
    const t = await token()
    assert.deepEqual(await codeFor({ secret: 's' }, { authorization: `BEARER    ${t}\t` }), [200, undefined])
    assert.deepEqual(await codeFor({ secret: 's' }, { authorization: `\tBearer ${t}` }), [200, undefined])
  })
  test('two Authorization headers are a bad request (Node would silently keep the first)', async () => {
    const t = await token()
    assert.deepEqual(await codeFor({ secret: 's' }, { authorization: [`Bearer ${t}`, 'Bearer other'] }), [400, 'FST_JWT_GUARD_BAD_REQUEST'])
  })
  test('an empty header is no credentials', async () => {
    assert.deepEqual(await codeFor({ secret: 's' }, { authorization: '' }), [401, 'FST_JWT_GUARD_NO_TOKEN'])
  })
})

describe('cookies, as @fastify/jwt reads them', () => {
  const cookie = { cookieName: 'token', signed: false }
  test('a token in the cookie is accepted when there is no bearer header', async () => {
    const t = await token()
    assert.deepEqual(await codeFor({ secret: 's', cookie }, { cookie: `token=${t}` }), [200, undefined])
  })
  test('the header wins over the cookie', async () => {
    const t = await token()
    assert.deepEqual(await codeFor({ secret: 's', cookie }, { authorization: 'Bearer bad', cookie: `token=${t}` }), [401, 'FST_JWT_GUARD_TOKEN_MALFORMED'])
  })
  test('another scheme or a bare Bearer falls through to the cookie', async () => {
    const t = await token()
    assert.deepEqual(await codeFor({ secret: 's', cookie }, { authorization: 'Basic abc', cookie: `token=${t}` }), [200, undefined])
    assert.deepEqual(await codeFor({ secret: 's', cookie }, { authorization: 'Bearer', cookie: `token=${t}` }), [200, undefined])
  })
  test('a malformed header is still a bad request when a cookie is configured', async () => {
    assert.deepEqual(await codeFor({ secret: 's', cookie }, { authorization: 'Bearer a b' }), [400, 'FST_JWT_GUARD_BAD_REQUEST'])
  })
  test('no cookie or an empty cookie are no credentials', async () => {
    assert.deepEqual(await codeFor({ secret: 's', cookie }, {}), [401, 'FST_JWT_GUARD_NO_TOKEN'])
    assert.deepEqual(await codeFor({ secret: 's', cookie }, { cookie: 'token=' }), [401, 'FST_JWT_GUARD_NO_TOKEN'])
  })
  test('a cookie option without @fastify/cookie fails at ready()', async () => {
    await assert.rejects(codeFor({ secret: 's', cookie }, {}, false), /"cookie" option needs @fastify\/cookie registered/)
  })
  test('a signed cookie without a cookie secret fails at ready()', async () => {
    const app = Fastify()
    await app.register(fastifyCookie)
    await app.register(jwtGuard, { secret: 's', cookie: { cookieName: 'token', signed: true } })
    await assert.rejects(async () => { await app.ready() }, /"cookie.signed" option needs @fastify\/cookie registered with a secret/)
  })
  test('onlyCookie ignores the header', async () => {
    const t = await token()
    assert.deepEqual(await codeFor({ secret: 's', cookie, verify: { onlyCookie: true } }, { authorization: `Bearer ${t}` }), [401, 'FST_JWT_GUARD_NO_TOKEN'])
  })
  test('a signed cookie is unsigned first; a tampered one is an invalid token', async () => {
    const t = await token()
    const app = Fastify()
    await app.register(fastifyCookie, { secret: 'cookie-secret' })
    const signed = app.signCookie(t)
    await app.close()
    const signedCookie = { cookieName: 'token', signed: true }
    assert.deepEqual(await codeFor({ secret: 's', cookie: signedCookie }, { cookie: `token=${encodeURIComponent(signed)}` }), [200, undefined])
    assert.deepEqual(await codeFor({ secret: 's', cookie: signedCookie }, { cookie: `token=${encodeURIComponent(t + '.forged')}` }), [401, 'FST_JWT_GUARD_TOKEN_INVALID'])
  })
})

describe('verify.extractToken', () => {
  test('its token is verified', async () => {
    const t = await token()
    assert.deepEqual(await codeFor({ secret: 's', verify: { extractToken: (r: any) => r.headers['x-token'] } }, { 'x-token': t }), [200, undefined])
  })
  test('no token from it is no credentials', async () => {
    assert.deepEqual(await codeFor({ secret: 's', verify: { extractToken: () => undefined } }, {}), [401, 'FST_JWT_GUARD_NO_TOKEN'])
    assert.deepEqual(await codeFor({ secret: 's', verify: { extractToken: () => null as never } }, {}), [401, 'FST_JWT_GUARD_NO_TOKEN'])
    assert.deepEqual(await codeFor({ secret: 's', verify: { extractToken: () => '' } }, {}), [401, 'FST_JWT_GUARD_NO_TOKEN'])
  })
  test('a throw or a non-string from it is a bad request', async () => {
    assert.deepEqual(await codeFor({ secret: 's', verify: { extractToken: () => { throw new Error('x') } } }, {}), [400, 'FST_JWT_GUARD_BAD_REQUEST'])
    assert.deepEqual(await codeFor({ secret: 's', verify: { extractToken: () => ['a'] as never } }, {}), [400, 'FST_JWT_GUARD_BAD_REQUEST'])
  })
})
