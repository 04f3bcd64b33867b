import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildChallenge, quote } from '../lib/challenge.js'
import { FAILURES } from '../lib/failures.js'

test('quote escapes double quotes and backslashes as an RFC 9110 quoted-string', () => {
  assert.equal(quote('a"b\\c'), '"a\\"b\\\\c"')
})

test('a request without credentials gets the bare challenge with no error', () => {
  assert.equal(buildChallenge('api', FAILURES.missing), 'Bearer realm="api"')
})

test('a bad token gets error and error_description', () => {
  assert.equal(buildChallenge('my "api"', FAILURES.expired),
    'Bearer realm="my \\"api\\"", error="invalid_token", error_description="The token has expired"')
})

test('a 503 carries no challenge', () => {
  assert.equal(buildChallenge('api', FAILURES.unavailable), null)
})
