import { test } from 'node:test'
import assert from 'node:assert/strict'
import jwtGuard from '../lib/index.js'

test('the plugin is exported as the module, as default, as jwtGuard and fastifyJwtGuard', () => {
  assert.equal(typeof jwtGuard, 'function')
  assert.equal(jwtGuard.default, jwtGuard)
  assert.equal(jwtGuard.jwtGuard, jwtGuard)
  assert.equal(jwtGuard.fastifyJwtGuard, jwtGuard)
  assert.equal(typeof jwtGuard.isJwtGuardError, 'function')
  assert.equal(jwtGuard.errorCodes.expired, 'FST_JWT_GUARD_TOKEN_EXPIRED')
})

test('plugin metadata is declared through fastify-plugin', () => {
  const meta = (jwtGuard as unknown as Record<symbol, unknown>)[Symbol.for('plugin-meta')]
  assert.deepEqual(meta, { fastify: '5.x', name: 'fastify-jwt-guard' })
  assert.equal((jwtGuard as unknown as Record<symbol, unknown>)[Symbol.for('skip-override')], true)
})
