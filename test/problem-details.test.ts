import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import Fastify, { type FastifyInstance } from 'fastify'
import jwtGuard from '../lib/index.js'
import type { FailureKind } from '../types/index.js'
import { maskingHandler } from './helpers/contract-app.js'
import { CONTRACT, expectedChallenge } from './helpers/expected.js'
import { SECRET, now, validToken } from './helpers/tokens.js'
import { request, TRANSPORTS } from './helpers/transport.js'

const TITLES: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 503: 'Service Unavailable' }

async function problemApp (): Promise<FastifyInstance> {
  const app = Fastify()
  app.setErrorHandler(maskingHandler)
  await app.register(jwtGuard, {
    secret: async (_request: unknown, decoded: { kms?: string }) => { if (decoded.kms === 'down') throw new Error('kms down'); return SECRET },
    problemDetails: true,
    messages: { expired: 'Your session has expired' }
  } as never)
  app.get('/hook', { onRequest: app.authenticate }, async () => 'in')
  app.get('/inline', async (request) => request.verifyJwt())
  app.get('/scoped', { config: { jwt: { scopes: ['orders:write'] } } }, async () => 'in')
  app.get('/admin', { config: { jwt: { allow: () => false } } }, async () => 'in')
  return app
}

const rows: Array<{ kind: FailureKind, url: string, authorization?: string, scopes?: string[], detail?: string }> = [
  { kind: 'missing', url: '/hook' },
  { kind: 'missing', url: '/inline' },
  { kind: 'bad_request', url: '/hook', authorization: 'Bearer a b' },
  { kind: 'malformed', url: '/inline', authorization: 'Bearer nope' },
  { kind: 'expired', url: '/hook', authorization: `Bearer ${validToken({ exp: now() - 5 })}`, detail: 'Your session has expired' },
  { kind: 'insufficient_scope', url: '/scoped', authorization: `Bearer ${validToken()}`, scopes: ['orders:write'] },
  { kind: 'forbidden', url: '/admin', authorization: `Bearer ${validToken()}` },
  { kind: 'unavailable', url: '/inline', authorization: `Bearer ${validToken({ kms: 'down' })}` }
]

for (const transport of TRANSPORTS) {
  describe(`problemDetails: true (${transport})`, () => {
    test('every failure is an RFC 9457 problem, behind a masking handler in production too', async () => {
      const app = await problemApp()
      const saved = process.env.NODE_ENV
      process.env.NODE_ENV = 'production'
      try {
        if (transport === 'socket') await app.listen({ port: 0, host: '127.0.0.1' })
        for (const row of rows) {
          const context = `${row.kind} on ${row.url}`
          const c = CONTRACT[row.kind]
          const answer = await request(app, transport, row.url, row.authorization)
          assert.equal(answer.status, c.status, context)
          assert.equal(answer.headers['content-type'], 'application/problem+json; charset=utf-8', context)
          assert.equal(answer.headers['www-authenticate'], expectedChallenge(row.kind, row.scopes), context)
          assert.equal(answer.headers['retry-after'], row.kind === 'unavailable' ? '5' : undefined, context)
          assert.equal(answer.body, JSON.stringify({ type: 'about:blank', title: TITLES[c.status], status: c.status, detail: row.detail ?? c.message, code: c.code }), context)
        }
      } finally {
        process.env.NODE_ENV = saved
        await app.close()
      }
    })
  })
}
