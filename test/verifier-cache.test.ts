import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createVerifierCache } from '../lib/verifier-cache.js'

test('string keys get one verifier each, reused', () => {
  const verifierFor = createVerifierCache({})
  assert.equal(verifierFor('a'), verifierFor('a'))
  assert.notEqual(verifierFor('a'), verifierFor('b'))
})

test('object keys are cached by identity', () => {
  const verifierFor = createVerifierCache({})
  const key = Buffer.from('buffer-key')
  assert.equal(verifierFor(key), verifierFor(key))
  assert.notEqual(verifierFor(key), verifierFor(Buffer.from('buffer-key')))
})

test('the string cache is bounded: the oldest key goes first', () => {
  const verifierFor = createVerifierCache({})
  const first = verifierFor('key-0')
  for (let i = 1; i <= 1000; i++) verifierFor(`key-${i}`)
  assert.notEqual(verifierFor('key-0'), first)
  assert.equal(verifierFor('key-1000'), verifierFor('key-1000'))
})

test('a key that is neither is passed to fast-jwt, which refuses it', () => {
  const verifierFor = createVerifierCache({})
  assert.throws(() => verifierFor(42), { code: 'FAST_JWT_INVALID_OPTION' })
  assert.throws(() => verifierFor(null), { code: 'FAST_JWT_INVALID_KEY' })
})
