import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import Fastify from 'fastify'
import { createSigner } from 'fast-jwt'
import jwtGuard from '../lib/index.js'
import { maskingHandler } from './helpers/contract-app.js'
import { assertFailureReply } from './helpers/expected.js'
import type { JwtGuardOptions } from '../types/index.js'

const token = createSigner({ key: 's' })({ sub: 'a' })
const DETAIL = 'raw-dependency-detail'

async function legacyCall (options: JwtGuardOptions, style: 'route' | 'hook') {
  const saved = process.env.NODE_ENV
  process.env.NODE_ENV = 'production'
  const app = Fastify()
  app.setErrorHandler(maskingHandler)
  await app.register(jwtGuard, options)
  if (style === 'route') app.get('/', async (request) => { await request.jwtVerify(); return 'in' })
  else app.get('/', { onRequest: (request, _reply, done) => { request.jwtVerify((error: Error | null) => done(error ?? undefined)) } }, async () => 'in')
  try {
    const res = await app.inject({ url: '/', headers: { authorization: `Bearer ${token}` } })
    return { status: res.statusCode, headers: res.headers as Record<string, string>, body: res.body }
  } finally {
    process.env.NODE_ENV = saved
    await app.close()
  }
}

describe('code still calling request.jwtVerify() gets a 503 when a dependency fails, not a 500 with its message', () => {
  const fail = () => { throw new Error(DETAIL) }
  const cases: Array<[string, JwtGuardOptions]> = [
    ['a secret function that throws', { secret: fail as never }],
    ['a secret function that rejects', { secret: async () => fail() }],
    ['a public key function that rejects', { secret: { private: 's', public: async () => fail() } }],
    ['trusted that throws', { secret: 's', trusted: fail }],
    ['trusted that rejects', { secret: 's', trusted: async () => fail() }],
    ['formatUser that throws', { secret: 's', formatUser: fail }],
    ['formatUser that throws after an async secret', { secret: { private: 's', public: async () => 's' }, formatUser: fail }]
  ]
  for (const [name, options] of cases) {
    for (const style of ['route', 'hook'] as const) {
      test(`${name} (${style})`, async () => {
        const answer = await legacyCall(options, style)
        assertFailureReply(answer, 'unavailable', name)
        assert.ok(!answer.body.includes(DETAIL))
      })
    }
  }
})

describe('working dependencies are unchanged for request.jwtVerify()', () => {
  test('secret functions in both styles, trusted and formatUser', async () => {
    const app = Fastify()
    await app.register(jwtGuard, {
      secret: { private: 's', public: (_request: unknown, _decoded: unknown, callback: (e: Error | null, k: string) => void) => callback(null, 's') },
      trusted: () => true,
      formatUser: (claims: any) => ({ id: claims.sub })
    })
    app.get('/', async (request) => { await request.jwtVerify(); return request.user })
    app.get('/sign', async (_request, reply) => reply.jwtSign({ sub: 'signed' }))
    assert.deepEqual((await app.inject({ url: '/', headers: { authorization: `Bearer ${token}` } })).json(), { id: 'a' })
    assert.equal((await app.inject('/sign')).statusCode, 200)
    await app.close()
  })
})
