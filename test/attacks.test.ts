// Replays test/fixtures/attacks/*.json (written by test/fixtures/make-attacks.ts): each attack
// gets exactly its expected reply through inject and a real socket, the guard makes no network
// call of its own (jku/x5u are never fetched), and no prototype is polluted.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { FailureKind } from '../types/index.js'
import { attackApp, type Attack, type AttackApp } from './helpers/attack-apps.js'
import { assertFailureReply, CONTRACT } from './helpers/expected.js'
import { keys, repoRoot } from './helpers/keys.js'
import { rawRequest } from './helpers/raw-http.js'
import type { Answer } from './helpers/transport.js'

const dir = path.join(repoRoot(), 'test/fixtures/attacks')
const attacks = readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
  .map((file) => [file, JSON.parse(readFileSync(path.join(dir, file), 'utf8'))] as [string, Attack])
const kindOfCode = Object.fromEntries(Object.entries(CONTRACT).map(([kind, c]) => [c.code, kind as FailureKind]))

async function send (app: FastifyInstance, transport: 'inject' | 'socket', attack: Attack): Promise<Answer> {
  if (transport === 'inject') {
    const res = await app.inject({ url: '/hook', headers: attack.headers ?? {} })
    return { status: res.statusCode, headers: res.headers as Record<string, string>, body: res.body }
  }
  const port = (app.server.address() as { port: number }).port
  const lines = attack.rawHeaderLines ?? Object.entries(attack.headers ?? {}).map(([name, value]) => `${name}: ${String(value)}`)
  const raw = await rawRequest(port, lines)
  const headers = Object.fromEntries(raw.head.split('\r\n').slice(1).map((line) => {
    const colon = line.indexOf(':')
    return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()]
  }))
  return { status: raw.status, headers, body: raw.body }
}

describe('the attack corpus', () => {
  const apps = new Map<AttackApp, FastifyInstance>()
  let connections = 0
  const connect = net.Socket.prototype.connect
  before(async () => {
    for (const name of ['hs256', 'rs256', 'es256', 'kid', 'cookie'] as const) {
      const app = await attackApp(name)
      await app.listen({ port: 0, host: '127.0.0.1' })
      apps.set(name, app)
    }
  })
  after(async () => {
    for (const app of apps.values()) await app.close()
  })

  test('holds at least 60 attacks', () => {
    assert.ok(attacks.length >= 60, `${attacks.length} attacks`)
  })

  for (const [file, attack] of attacks) {
    for (const transport of attack.transports) {
      test(`${file} (${transport}): ${attack.attack}`, async () => {
        const app = apps.get(attack.app)!
        if (transport === 'inject') {
          connections = 0
          net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
            connections++
            return (connect as (...a: unknown[]) => net.Socket).apply(this, args)
          } as typeof connect
        }
        let answer: Answer
        try {
          answer = await send(app, transport, attack)
        } finally {
          net.Socket.prototype.connect = connect
        }
        if (transport === 'inject') assert.equal(connections, 0, 'the guard opened a connection')
        assert.equal(answer.status, attack.expect.status, `status (${answer.body.slice(0, 200)})`)
        if (attack.expect.code !== undefined) assertFailureReply(answer, kindOfCode[attack.expect.code], file)
        if (attack.expect.user !== undefined) {
          const user = JSON.parse(answer.body).user
          for (const [claim, value] of Object.entries(attack.expect.user)) assert.deepEqual(user[claim], value, `user.${claim}`)
          assert.equal(user.admin, undefined, 'request.user gained a property from __proto__')
        }
        const token = String(attack.headers?.authorization ?? '').split(' ')[1] ?? ''
        if (token.length > 16) assert.ok(!answer.body.includes(token.split('.')[2] || token), 'the body holds the token')
        for (const secret of Object.values(keys)) assert.ok(!answer.body.includes(secret.slice(0, 40)), 'the body holds a key')
        assert.ok(!answer.body.includes('"stack"'))
        assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype polluted')
        assert.equal(({} as Record<string, unknown>).admin, undefined, 'Object.prototype polluted')
      })
    }
  }
})
