import { test } from 'node:test'
import assert from 'node:assert/strict'
import Fastify from 'fastify'
import jwtGuard from '../lib/index.js'

test('a hook called after the reply was sent sends nothing more', async () => {
  const app = Fastify()
  await app.register(jwtGuard, { secret: 's' })
  app.get('/', async (request, reply) => {
    reply.send('already')
    await app.authenticate(request, reply)
    return reply
  })
  const res = await app.inject('/')
  assert.equal(res.statusCode, 200)
  assert.equal(res.body, 'already')
  await app.close()
})

test('a reply sent while the guard was verifying (a timeout plugin, say) is left alone; the failure is still logged', async () => {
  const { createRenderer } = await import('../lib/reply.js')
  const { bodyMessages } = await import('../lib/messages.js')
  const renderer = createRenderer({ realm: 'api', messages: bodyMessages({}), problemDetails: false, onFailure: null })
  const lines: string[] = []
  const request = { log: { info: (_data: unknown, msg: string) => lines.push(msg), error () {} } }
  const reply = { sent: true, code () { throw new Error('must not be called') } }
  renderer.send(request as never, reply as never, { kind: 'expired' })
  assert.deepEqual(lines, ['jwt-guard: request rejected'])
})
