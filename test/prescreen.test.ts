import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { createVerifier } from 'fast-jwt'
import { createPrescreen } from '../lib/prescreen.js'
import { hmacToken } from './helpers/tokens.js'

const KEY = 'prescreen-key'
const sign = (payload: unknown): string => hmacToken({ alg: 'HS256', typ: 'JWT' }, payload, KEY)
const codeKinds: Record<string, string> = { FAST_JWT_EXPIRED: 'expired', FAST_JWT_INACTIVE: 'inactive', FAST_JWT_INVALID_CLAIM_TYPE: 'claims', FAST_JWT_INVALID_CLAIM_VALUE: 'claims' }

/** What fast-jwt says of a token: null when it accepts it, else the kind its code maps to. */
function fastJwtKind (options: Record<string, unknown>, token: string): string | null {
  try {
    createVerifier({ key: KEY, ...options })(token)
    return null
  } catch (error) {
    return codeKinds[(error as { code: string }).code] ?? 'other'
  }
}

describe('the prescreen only rejects what fast-jwt rejects, for the same reason', () => {
  const now = Date.now()
  const s = Math.floor(now / 1000)
  const optionSets: Array<Record<string, unknown>> = [
    {},
    { clockTolerance: 30000 },
    { ignoreExpiration: true },
    { ignoreNotBefore: true },
    { ignoreExpiration: 1, ignoreNotBefore: 'yes' },
    { maxAge: 60000 },
    { maxAge: 60000, clockTolerance: 120000 },
    { clockTimestamp: (s - 1000) * 1000 }
  ]
  const payloads: Array<Record<string, unknown>> = []
  for (const offset of [-3600, -121, -61, -31, -2, 2, 31, 61, 121, 3600]) {
    payloads.push({ exp: s + offset }, { nbf: s + offset }, { iat: s + offset }, { iat: s + offset, exp: s + offset + 30 })
  }
  payloads.push({ exp: 'soon' }, { exp: [s - 10] }, { nbf: null }, {}, { exp: -1 }, { exp: 1.5 }, { exp: 1e308 })
  for (const options of optionSets) {
    test(`options ${JSON.stringify(options)}`, () => {
      const prescreen = createPrescreen(options)
      for (const payload of payloads) {
        const token = sign(payload)
        const early = prescreen(token)
        if (early !== null) assert.equal(fastJwtKind(options, token), early, `${JSON.stringify(payload)}: prescreen said ${early}`)
      }
    })
  }
  test('it does catch the common cases', () => {
    const prescreen = createPrescreen({ maxAge: 60000 })
    assert.equal(prescreen(sign({ exp: s - 10 })), 'expired')
    assert.equal(prescreen(sign({ iat: s - 120 })), 'expired')
    assert.equal(prescreen(sign({ nbf: s + 100 })), 'inactive')
    assert.equal(prescreen(sign({ exp: s + 100 })), null)
  })
})

describe('structure', () => {
  const prescreen = createPrescreen({})
  test('anything but three base64url segments is malformed, without fast-jwt', () => {
    for (const token of ['garbage', 'a.b', 'a.b.c.d', '.b.c', 'a..c', 'a.b.c=', 'a.b.c,d', 'a.b.c d', 'a+b.c.d', '']) {
      assert.equal(prescreen(token), 'malformed', token)
    }
  })
  test('an empty signature (alg none) is left to fast-jwt', () => {
    assert.equal(prescreen('eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0.'), null)
  })
  test('a payload that is not a JSON object is malformed, as fast-jwt\'s decoder says', () => {
    assert.equal(prescreen('a.b.c'), 'malformed')
    assert.equal(prescreen('eyJhbGciOiJIUzI1NiJ9.MTIz.sig'), 'malformed') // 123
    assert.equal(prescreen(`eyJhbGciOiJIUzI1NiJ9.${Buffer.from('[1]').toString('base64url')}.sig`), 'malformed')
    assert.equal(prescreen(`eyJhbGciOiJIUzI1NiJ9.${Buffer.from('null').toString('base64url')}.sig`), 'malformed')
  })
  test('date claims that are not numbers are refused, iat included (stricter than fast-jwt without maxAge)', () => {
    for (const payload of [{ exp: '1' }, { nbf: null }, { iat: 'yesterday' }, { iat: [1] }]) {
      assert.equal(prescreen(`eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`), 'claims', JSON.stringify(payload))
    }
  })
})
