// Regression: @fastify/jwt answers `Bearer ` with 400 through inject and 401 on a real socket, and
// `Bearer <token> ` with 400 through inject and 200 on a socket, because Node trims header values
// and light-my-request does not. The guard trims OWS itself, so both transports answer the same.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { guardedApp } from '../helpers/app.js'
import { rawRequest } from '../helpers/raw-http.js'

describe('header whitespace answers the same through inject and a real socket', () => {
  let app: FastifyInstance
  let port: number
  let token: string
  before(async () => {
    app = await guardedApp({ secret: 's' })
    await app.listen({ port: 0, host: '127.0.0.1' })
    port = (app.server.address() as { port: number }).port
    token = app.jwt.sign({ sub: 'a' })
  })
  after(() => app.close())

  const cases: Array<[string, (t: string) => string, number, string | undefined]> = [
    ['Bearer and a space', () => 'Bearer ', 401, 'Bearer realm="api"'],
    ['Bearer and a tab', () => 'Bearer\t', 401, 'Bearer realm="api"'],
    ['a token with trailing spaces', (t) => `Bearer ${t}   `, 200, undefined],
    ['a token with a trailing tab', (t) => `Bearer ${t}\t`, 200, undefined]
  ]
  for (const [name, header, status, challenge] of cases) {
    test(name, async () => {
      const injected = await app.inject({ url: '/hook', headers: { authorization: header(token) } })
      const raw = await rawRequest(port, [`Authorization: ${header(token)}`])
      assert.equal(injected.statusCode, status)
      assert.equal(raw.status, status)
      assert.equal(injected.headers['www-authenticate'], challenge)
      assert.equal(raw.head.toLowerCase().includes('www-authenticate'), challenge !== undefined)
      if (status !== 200) assert.equal(raw.body, injected.body)
    })
  }

  test('two Authorization headers on a real socket are a bad request, not the first one silently', async () => {
    const raw = await rawRequest(port, [`Authorization: Bearer ${token}`, 'Authorization: Bearer forged'])
    assert.equal(raw.status, 400)
    assert.match(raw.head, /www-authenticate: Bearer realm="api", error="invalid_request"/i)
    assert.equal(JSON.parse(raw.body).code, 'FST_JWT_GUARD_BAD_REQUEST')
  })

  test('one Authorization header among others is read normally', async () => {
    const raw = await rawRequest(port, ['X-Other: 1', `Authorization: Bearer ${token}`, 'Accept: */*'])
    assert.equal(raw.status, 200)
  })
})
