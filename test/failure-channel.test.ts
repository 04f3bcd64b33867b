import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import diagnosticsChannel from 'node:diagnostics_channel'
import fastifyAuth from '@fastify/auth'
import Fastify, { type FastifyInstance } from 'fastify'
import jwtGuard, { failureChannel } from '../lib/index.js'
import type { FailureEvent } from '../types/index.js'
import { SECRET, validToken } from './helpers/tokens.js'
import { request, TRANSPORTS } from './helpers/transport.js'

/** Collects the events published while `fn` runs. */
async function collect (fn: () => Promise<void>): Promise<FailureEvent[]> {
  const events: FailureEvent[] = []
  const listener = (message: unknown) => { events.push(message as FailureEvent) }
  diagnosticsChannel.subscribe(failureChannel, listener)
  try {
    await fn()
  } finally {
    diagnosticsChannel.unsubscribe(failureChannel, listener)
  }
  return events
}

async function channelApp (): Promise<FastifyInstance> {
  const app = Fastify({ genReqId: () => 'req-1' })
  await app.register(fastifyAuth)
  await app.register(jwtGuard, { secret: SECRET })
  app.get('/hook/:id', { onRequest: app.authenticate }, async () => 'in')
  app.get('/inline', async (request) => request.verifyJwt())
  app.get('/jwt-verify', async (request) => request.jwtVerify())
  app.get('/strategy', { preHandler: app.auth([app.authenticateStrategy]) }, async () => 'in')
  app.get('/raw', async () => app.jwt.verify(validToken({ exp: 1 })))
  app.get('/scoped', { config: { jwt: { scopes: ['orders:write'] } } }, async () => 'in')
  app.get('/optional', { config: { jwt: { optional: true } } }, async () => 'in')
  return app
}

test('the channel name is public API', () => {
  assert.equal(failureChannel, 'fastify-jwt-guard:failure')
  assert.equal(jwtGuard.failureChannel, failureChannel)
})

for (const transport of TRANSPORTS) {
  describe(`failure events (${transport})`, () => {
    test('one event per failure, from every entry point, with kind, code, status, route and request id', async () => {
      const app = await channelApp()
      if (transport === 'socket') await app.listen({ port: 0, host: '127.0.0.1' })
      const garbage = 'Bearer not-a-jwt'
      const cases: Array<[string, string | undefined, Omit<FailureEvent, 'requestId' | 'method'>]> = [
        ['/hook/42', garbage, { kind: 'malformed', code: 'FST_JWT_GUARD_TOKEN_MALFORMED', status: 401, route: '/hook/:id', source: 'hook' }],
        ['/inline', undefined, { kind: 'missing', code: 'FST_JWT_GUARD_NO_TOKEN', status: 401, route: '/inline', source: 'verifyJwt' }],
        ['/jwt-verify', garbage, { kind: 'malformed', code: 'FST_JWT_GUARD_TOKEN_MALFORMED', status: 401, route: '/jwt-verify', source: 'jwtVerify' }],
        ['/strategy', 'Bearer a b', { kind: 'bad_request', code: 'FST_JWT_GUARD_BAD_REQUEST', status: 400, route: '/strategy', source: 'strategy' }],
        ['/raw', undefined, { kind: 'expired', code: 'FST_JWT_GUARD_TOKEN_EXPIRED', status: 401, route: '/raw', source: 'errorHandler' }],
        ['/scoped', `Bearer ${validToken()}`, { kind: 'insufficient_scope', code: 'FST_JWT_GUARD_INSUFFICIENT_SCOPE', status: 403, route: '/scoped', source: 'hook' }]
      ]
      try {
        for (const [url, authorization, expected] of cases) {
          let status = 0
          const events = await collect(async () => { status = (await request(app, transport, url, authorization)).status })
          assert.equal(status, expected.status, url)
          assert.deepEqual(events, [{ ...expected, method: 'GET', requestId: 'req-1' }], url)
          if (authorization !== undefined) assert.ok(!JSON.stringify(events).includes(authorization.slice(7)), `${url}: the event holds the token`)
        }
        const quiet = await collect(async () => {
          assert.equal((await request(app, transport, '/optional')).status, 200)
          assert.equal((await request(app, transport, '/inline', `Bearer ${validToken()}`)).status, 200)
          assert.equal((await request(app, transport, '/nowhere')).status, 404)
        })
        assert.deepEqual(quiet, [], 'no event for an anonymous optional request, a success or a 404')
      } finally {
        await app.close()
      }
    })
  })
}

test('without subscribers the channel stays idle and failures answer as usual', async () => {
  const app = await channelApp()
  assert.equal(diagnosticsChannel.channel(failureChannel).hasSubscribers, false)
  assert.equal((await app.inject('/inline')).statusCode, 401)
  await app.close()
})

test('a failure on the not-found handler (app.authenticate as a scope hook) has no route', async () => {
  const app = Fastify()
  await app.register(jwtGuard, { secret: SECRET })
  app.addHook('onRequest', app.authenticate)
  const events = await collect(async () => { assert.equal((await app.inject('/nowhere')).statusCode, 401) })
  assert.equal(events.length, 1)
  assert.equal(events[0].route, null)
  assert.equal(events[0].source, 'hook')
  await app.close()
})
