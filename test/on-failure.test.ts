import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify'
import jwtGuard from '../lib/index.js'
import type { JwtFailure, OnFailure } from '../types/index.js'
import type { LogLine } from './helpers/contract-app.js'
import { maskingHandler } from './helpers/contract-app.js'
import { CONTRACT, assertFailureReply, expectedBody } from './helpers/expected.js'
import { SECRET, validToken } from './helpers/tokens.js'
import { request, TRANSPORTS, type Answer } from './helpers/transport.js'

/** An app whose failures go through `onFailure`, behind a masking error handler, with its log lines kept. */
async function appWith (onFailure: OnFailure): Promise<{ app: FastifyInstance, logs: LogLine[] }> {
  const logs: LogLine[] = []
  const stream = new Writable({
    write (chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line !== '') logs.push(JSON.parse(line))
      done()
    }
  })
  const app = Fastify({ logger: { level: 'info', stream } })
  app.setErrorHandler(maskingHandler)
  await app.register(jwtGuard, { secret: SECRET, onFailure })
  app.get('/hook', { onRequest: app.authenticate }, async () => 'in')
  app.get('/inline', async (request) => request.verifyJwt())
  app.get('/scoped', { config: { jwt: { scopes: ['orders:write'] } } }, async () => 'in')
  await app.ready()
  return { app, logs }
}

const guardLines = (logs: LogLine[]) => logs.filter((line) => line.jwtGuard !== undefined)

for (const transport of TRANSPORTS) {
  describe(`onFailure (${transport})`, () => {
    async function each (onFailure: OnFailure, check: (answer: Answer, url: string, logs: LogLine[]) => void, urls = ['/hook', '/inline']): Promise<void> {
      const { app, logs } = await appWith(onFailure)
      const saved = process.env.NODE_ENV
      process.env.NODE_ENV = 'production'
      try {
        if (transport === 'socket') await app.listen({ port: 0, host: '127.0.0.1' })
        for (const url of urls) {
          const before = logs.length
          check(await request(app, transport, url, 'Bearer not-a-jwt'), url, logs.slice(before))
        }
      } finally {
        process.env.NODE_ENV = saved
        await app.close()
      }
    }

    test('its return value is the body; the status and WWW-Authenticate stay', async () => {
      await each((failure) => ({ error: failure.kind, hint: 'sign in again' }), (answer, url, logs) => {
        assert.equal(answer.status, 401, url)
        assert.equal(answer.headers['www-authenticate'], CONTRACT.malformed.challenge)
        assert.equal(answer.headers['content-type'], 'application/json; charset=utf-8')
        assert.equal(answer.body, '{"error":"malformed","hint":"sign in again"}')
        assert.deepEqual(guardLines(logs).map((line) => line.level), [30], 'one info line, as without onFailure')
      })
    })

    test('it may set status, headers and content type, and answer asynchronously', async () => {
      await each(async (_failure, _request, reply) => {
        await new Promise((resolve) => setTimeout(resolve, 5))
        reply.code(419).header('www-authenticate', 'Bearer realm="custom"').header('x-reason', 'custom').type('text/plain; charset=utf-8')
        return 'please sign in'
      }, (answer) => {
        assert.equal(answer.status, 419)
        assert.equal(answer.headers['www-authenticate'], 'Bearer realm="custom"')
        assert.equal(answer.headers['x-reason'], 'custom')
        assert.equal(answer.headers['content-type'], 'text/plain; charset=utf-8')
        assert.equal(answer.body, 'please sign in')
      })
    })

    test('it may send the reply itself (a redirect to a login page)', async () => {
      await each((_failure, _request, reply) => reply.redirect('/login', 303), (answer) => {
        assert.equal(answer.status, 303)
        assert.equal(answer.headers.location, '/login')
      })
    })

    for (const [name, onFailure] of [
      ['throws', () => { throw new Error('onFailure bug') }],
      ['rejects', () => Promise.reject(new Error('onFailure bug'))],
      ['returns a body JSON cannot hold', () => ({ n: 1n })],
      ['returns a function', () => () => {}]
    ] as Array<[string, OnFailure]>) {
      test(`if it ${name}, the default reply goes out and the error is logged`, async () => {
        await each(onFailure, (answer, url, logs) => {
          assertFailureReply(answer, 'malformed', url)
          assert.deepEqual(guardLines(logs).map((line) => [line.level, line.msg]), [
            [30, 'jwt-guard: request rejected'],
            [50, 'jwt-guard: onFailure failed; the default reply was sent']
          ])
        })
      })
    }

    test('if it sends nothing (returns undefined), the default body goes out with the status and headers it set (found in review)', async () => {
      await each((_failure, _request, reply) => { reply.code(429).header('x-seen', 'yes').header('www-authenticate', 'Bearer realm="custom"').type('text/plain') }, (answer, url) => {
        assert.equal(answer.status, 429, url)
        assert.equal(answer.headers['x-seen'], 'yes')
        assert.equal(answer.headers['www-authenticate'], 'Bearer realm="custom"')
        assert.equal(answer.headers['content-type'], 'application/json; charset=utf-8', 'the default body keeps its type')
        assert.equal(answer.body, expectedBody('malformed'))
      })
    })

    test('a success it sends itself stands, with a warning', async () => {
      await each((_failure, _request, reply) => { reply.code(200).send({ ok: true }) }, (answer, url, logs) => {
        assert.equal(answer.status, 200, url)
        assert.deepEqual(guardLines(logs).map((line) => [line.level, line.msg]), [
          [30, 'jwt-guard: request rejected'],
          [40, 'jwt-guard: onFailure sent status 200 for a failure']
        ])
      })
    })

    for (const [name, onFailure] of [
      ['returns a thenable whose then throws', () => ({ then () { throw new Error('then bug') } })],
      ['returns an object whose then getter throws', () => ({ get then () { throw new Error('getter bug') } })]
    ] as Array<[string, OnFailure]>) {
      test(`if it ${name}, the default reply goes out (found in review)`, async () => {
        await each(onFailure, (answer, url, logs) => {
          assertFailureReply(answer, 'malformed', url)
          assert.deepEqual(guardLines(logs).map((line) => line.level), [30, 50])
        })
      })
    }

    test('if it sends and then throws, its reply stands and the error is logged as such', async () => {
      await each((_failure, _request, reply) => { reply.code(401).send('sent'); throw new Error('after') }, (answer, url, logs) => {
        assert.equal(answer.status, 401, url)
        assert.equal(answer.body, 'sent')
        assert.deepEqual(guardLines(logs).map((line) => [line.level, line.msg]), [
          [30, 'jwt-guard: request rejected'],
          [50, 'jwt-guard: onFailure failed after its reply was sent']
        ])
      })
    })

    test('a thenable that calls back twice is answered once', async () => {
      const twice = () => ({ then (resolve: (v: unknown) => void, reject: (e: unknown) => void) { resolve({ first: true }); reject(new Error('late')); resolve({ second: true }) } })
      await each(twice as OnFailure, (answer, url, logs) => {
        assert.equal(answer.body, '{"first":true}', url)
        assert.deepEqual(guardLines(logs).map((line) => line.level), [30], 'no error logged for the late calls')
      })
    })

    test('returning the reply unsent (Fastify chaining), sync or async, is sending nothing: no hang (found in review)', async () => {
      for (const onFailure of [
        (_failure: JwtFailure, _request: unknown, reply: FastifyReply) => reply.header('cache-control', 'no-store'),
        async (_failure: JwtFailure, _request: unknown, reply: FastifyReply) => reply.code(401).header('cache-control', 'no-store')
      ]) {
        await each(onFailure as OnFailure, (answer, url) => {
          assertFailureReply(answer, 'malformed', url)
          assert.equal(answer.headers['cache-control'], 'no-store')
        })
      }
    })

    test('a 2xx it sets is not sent: a failure never answers as a success (warn logged)', async () => {
      await each((_failure, _request, reply) => { reply.code(200); return { ok: true } }, (answer, url, logs) => {
        assert.equal(answer.status, 401, url)
        assert.equal(answer.body, '{"ok":true}')
        assert.deepEqual(guardLines(logs).map((line) => [line.level, line.msg]), [
          [30, 'jwt-guard: request rejected'],
          [40, 'jwt-guard: onFailure set status 200; 401 was sent']
        ])
      })
    })

    test('a Buffer body is sent as it is', async () => {
      await each((_failure, _request, reply) => { reply.type('application/octet-stream'); return Buffer.from('denied') }, (answer) => {
        assert.equal(answer.status, 401)
        assert.equal(answer.body, 'denied')
      })
    })

    test('a 403 carries the scopes in the failure and the challenge', async () => {
      const seen: JwtFailure[] = []
      const { app } = await appWith((failure) => { seen.push(failure); return { kind: failure.kind } })
      try {
        if (transport === 'socket') await app.listen({ port: 0, host: '127.0.0.1' })
        const answer = await request(app, transport, '/scoped', `Bearer ${validToken({ scope: 'orders:read' })}`)
        assert.equal(answer.status, 403)
        assert.equal(answer.body, '{"kind":"insufficient_scope"}')
        assert.match(answer.headers['www-authenticate'], /, scope="orders:write"$/)
        assert.deepEqual(seen, [{
          kind: 'insufficient_scope',
          status: 403,
          code: 'FST_JWT_GUARD_INSUFFICIENT_SCOPE',
          message: CONTRACT.insufficient_scope.message,
          challenge: answer.headers['www-authenticate'],
          requiredScopes: ['orders:write']
        }])
        assert.ok(Object.isFrozen(seen[0]))
      } finally {
        await app.close()
      }
    })
  })
}

test('an onFailure that never settles gets the default reply after ON_FAILURE_TIMEOUT_MS, logged at error', async () => {
  const { ON_FAILURE_TIMEOUT_MS } = await import('../lib/reply.js')
  assert.equal(ON_FAILURE_TIMEOUT_MS, 5000)
  const { app, logs } = await appWith(() => new Promise(() => {}))
  try {
    const started = Date.now()
    const res = await app.inject({ url: '/hook', headers: { authorization: 'Bearer not-a-jwt' } })
    assert.ok(Date.now() - started >= ON_FAILURE_TIMEOUT_MS - 50)
    assertFailureReply({ status: res.statusCode, headers: res.headers as Record<string, string>, body: res.body }, 'malformed', 'never settles')
    const errors = guardLines(logs).filter((line) => line.level === 50)
    assert.equal(errors.length, 1)
    assert.match(JSON.stringify(errors[0]), /onFailure did not settle within 5000 ms/)
  } finally {
    await app.close()
  }
})

test('onFailure still sees a thenable-free reply only while it runs: afterwards the reply is Fastify\'s again', async () => {
  let seen: unknown
  const app = Fastify()
  await app.register(jwtGuard, { secret: SECRET, onFailure: (_failure, _request, reply) => { seen = reply; return { custom: true } } })
  app.get('/hook', { onRequest: app.authenticate }, async () => 'in')
  assert.deepEqual((await app.inject('/hook')).json(), { custom: true })
  assert.equal(typeof (seen as { then?: unknown }).then, 'function')
  assert.equal(Object.hasOwn(seen as object, 'then'), false)
  await app.close()
})

describe('onFailure receives', () => {
  test('for a 503: no challenge and the Retry-After seconds', async () => {
    const seen: JwtFailure[] = []
    const app = Fastify()
    await app.register(jwtGuard, { secret: async () => { throw new Error('kms down') }, onFailure: (failure) => { seen.push(failure) } })
    app.get('/hook', { onRequest: app.authenticate }, async () => 'in')
    const res = await app.inject({ url: '/hook', headers: { authorization: `Bearer ${validToken()}` } })
    assert.equal(res.statusCode, 503)
    assert.equal(res.body, expectedBody('unavailable'))
    assert.deepEqual(seen, [{ kind: 'unavailable', status: 503, code: 'FST_JWT_GUARD_UNAVAILABLE', message: CONTRACT.unavailable.message, challenge: null, retryAfter: 5 }])
    await app.close()
  })

  test('for a thrown @fastify/jwt error the error handler renders: the same failure', async () => {
    const seen: string[] = []
    const app = Fastify()
    await app.register(jwtGuard, { secret: SECRET, onFailure: (failure) => { seen.push(failure.kind); return { custom: failure.code } } })
    app.get('/raw', async () => app.jwt.verify(validToken({ exp: 1 })))
    const res = await app.inject('/raw')
    assert.equal(res.statusCode, 401)
    assert.deepEqual(res.json(), { custom: 'FST_JWT_GUARD_TOKEN_EXPIRED' })
    assert.deepEqual(seen, ['expired'])
    await app.close()
  })
})
