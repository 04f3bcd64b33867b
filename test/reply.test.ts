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
