import { test } from 'node:test'
import assert from 'node:assert/strict'
import { resolveKey } from '../lib/key-provider.js'

test('a callback answer resolves', async () => {
  assert.equal(await resolveKey((_r, _d, cb) => cb(null, 'k'), {}, {}), 'k')
})

test('a promise answer resolves', async () => {
  assert.equal(await resolveKey(async () => 'k', {}, {}), 'k')
})

test('only the first of several answers counts', async () => {
  assert.equal(await resolveKey((_r, _d, cb) => { cb(null, 'first'); cb(new Error('late')); return Promise.resolve('third') }, {}, {}), 'first')
})

test('a callback error, a rejection and a throw all reject', async () => {
  await assert.rejects(resolveKey((_r, _d, cb) => cb(new Error('cb')), {}, {}), /cb/)
  await assert.rejects(resolveKey(async () => { throw new Error('rejected') }, {}, {}), /rejected/)
  await assert.rejects(resolveKey(() => { throw new Error('thrown') }, {}, {}), /thrown/)
})

test('a rejection or a throw without a reason still rejects', async () => {
  // eslint-disable-next-line prefer-promise-reject-errors
  await assert.rejects(resolveKey(() => Promise.reject(undefined), {}, {}), /secret provider rejected/)
  // eslint-disable-next-line no-throw-literal
  await assert.rejects(resolveKey(() => { throw undefined }, {}, {}), /secret provider threw/)
})

test('a non-promise return value is ignored until the callback answers', async () => {
  assert.equal(await resolveKey((_r, _d, cb) => { setImmediate(() => cb(null, 'later')); return 42 }, {}, {}), 'later')
  assert.equal(await resolveKey((_r, _d, cb) => { setImmediate(() => cb(null, 'later')); return null }, {}, {}), 'later')
})
