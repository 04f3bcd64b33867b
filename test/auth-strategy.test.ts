import { test } from 'node:test'
import assert from 'node:assert/strict'
import Fastify from 'fastify'
import fastifyAuth from '@fastify/auth'
import jwtGuard from '../lib/index.js'
import { maskingHandler } from './helpers/contract-app.js'
import { assertFailureReply } from './helpers/expected.js'
import { bearer } from './helpers/app.js'

async function app () {
  const instance = Fastify()
  instance.setErrorHandler(maskingHandler)
  await instance.register(fastifyAuth)
  await instance.register(jwtGuard, { secret: 's' })
  const apiKey = async (request: { headers: Record<string, unknown> }) => {
    if (request.headers['x-api-key'] !== 'k') throw Object.assign(new Error('bad api key'), { statusCode: 401 })
  }
  instance.get('/or', { onRequest: instance.auth([instance.authenticateStrategy, apiKey]) }, async (request) => ({ user: request.user }))
  instance.get('/and', { onRequest: instance.auth([instance.authenticateStrategy, apiKey], { relation: 'and' }) }, async () => 'both')
  instance.get('/jwt-only', { onRequest: instance.auth([instance.authenticateStrategy]) }, async () => 'jwt')
  return instance
}

test('inside @fastify/auth: either strategy may let the request in (or)', async () => {
  const saved = process.env.NODE_ENV
  process.env.NODE_ENV = 'production'
  try {
    const instance = await app()
    const token = instance.jwt.sign({ sub: 'a' })
    assert.equal((await instance.inject({ url: '/or', headers: bearer(token) })).json().user.sub, 'a')
    assert.equal((await instance.inject({ url: '/or', headers: { 'x-api-key': 'k' } })).statusCode, 200)
    await instance.close()
  } finally {
    process.env.NODE_ENV = saved
  }
})

test('inside @fastify/auth: a token failure is the contract reply, even behind a masking handler', async () => {
  const saved = process.env.NODE_ENV
  process.env.NODE_ENV = 'production'
  try {
    const instance = await app()
    const expired = instance.jwt.sign({ sub: 'a', exp: 1 })
    const res = await instance.inject({ url: '/jwt-only', headers: bearer(expired) })
    assertFailureReply({ status: res.statusCode, headers: res.headers as Record<string, string>, body: res.body }, 'expired', 'jwt-only')
    const and = await instance.inject({ url: '/and', headers: { 'x-api-key': 'k' } })
    assertFailureReply({ status: and.statusCode, headers: and.headers as Record<string, string>, body: and.body }, 'missing', 'and')
    const token = instance.jwt.sign({ sub: 'a' })
    assert.equal((await instance.inject({ url: '/and', headers: { ...bearer(token), 'x-api-key': 'k' } })).statusCode, 200)
    await instance.close()
  } finally {
    process.env.NODE_ENV = saved
  }
})
