// Why this package exists, kept as a probe: tokens anyone can craft make @fastify/jwt's
// request.jwtVerify() answer 500 (measured with @fastify/jwt 10.2.8, fast-jwt 6.3.6). The same
// tokens through the guard are 401s. If the first assertion starts failing, @fastify/jwt changed:
// update the README's story.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import Fastify from 'fastify'
import fastifyJwt from '@fastify/jwt'
import { guardedApp } from '../helpers/app.js'
import { b64url, hmacToken, now } from '../helpers/tokens.js'

const SECRET = 'probe-secret'
const crafted: Array<[string, string, string, number]> = [
  ['nbf in the future', hmacToken({ alg: 'HS256', typ: 'JWT' }, { sub: 'a', nbf: now() + 3600 }, SECRET), 'FST_JWT_GUARD_TOKEN_INACTIVE', 500],
  ['an alg outside the allow-list', hmacToken({ alg: 'HS512', typ: 'JWT' }, { sub: 'a' }, SECRET, 'sha512'), 'FST_JWT_GUARD_TOKEN_SIGNATURE_INVALID', 500],
  ['a non-object payload', hmacToken({ alg: 'HS256', typ: 'JWT' }, 7, SECRET), 'FST_JWT_GUARD_TOKEN_MALFORMED', 500],
  ['an unknown crit header', hmacToken({ alg: 'HS256', typ: 'JWT', crit: ['x'], x: 1 }, { sub: 'a' }, SECRET), 'FST_JWT_GUARD_TOKEN_INVALID', 500],
  ['a non-numeric exp', hmacToken({ alg: 'HS256', typ: 'JWT' }, { sub: 'a', exp: 'later' }, SECRET), 'FST_JWT_GUARD_TOKEN_CLAIMS_INVALID', 500],
  ['a signature with "="', hmacToken({ alg: 'HS256', typ: 'JWT' }, { sub: 'a' }, SECRET) + '=', 'FST_JWT_GUARD_TOKEN_MALFORMED', 500],
  ['alg none', `${b64url('{"alg":"none"}')}.${b64url('{"sub":"a"}')}.`, 'FST_JWT_GUARD_TOKEN_SIGNATURE_INVALID', 401]
]

describe('tokens that make @fastify/jwt answer 500 are 401s through the guard', () => {
  for (const [name, token, code, fastifyJwtStatus] of crafted) {
    test(`${name}: @fastify/jwt ${fastifyJwtStatus}, the guard 401`, async () => {
      const plain = Fastify()
      await plain.register(fastifyJwt, { secret: SECRET, verify: { algorithms: ['HS256'] } })
      plain.get('/', { onRequest: async (request) => { await request.jwtVerify() } }, async () => 'in')
      const before = await plain.inject({ url: '/', headers: { authorization: `Bearer ${token}` } })
      await plain.close()

      const guarded = await guardedApp({ secret: SECRET, verify: { algorithms: ['HS256'] } })
      const after = await guarded.inject({ url: '/hook', headers: { authorization: `Bearer ${token}` } })
      await guarded.close()

      assert.equal(before.statusCode, fastifyJwtStatus, '@fastify/jwt changed: update the README')
      assert.equal(after.statusCode, 401)
      assert.equal(after.json().code, code)
      assert.match(String(after.headers['www-authenticate']), /^Bearer realm="api", error="invalid_token"/)
    })
  }
})
