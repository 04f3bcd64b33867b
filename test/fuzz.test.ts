// Property-based fuzzing (fast-check). FUZZ_SCALE multiplies the case counts (`npm run fuzz`).
// Properties: every non-valid input is a 400/401/503; a scoped route answers 200 exactly when the
// token grants the scope, else 403; a 200 only for a token that jose, the
// reference verifier, accepts with the same key and algorithms; bodies never hold the token, the
// secret or a stack; nothing ends up as an unhandled rejection or an uncaught exception.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import fc from 'fast-check'
import { jwtVerify } from 'jose'
import type { FastifyInstance } from 'fastify'
import { guardedApp } from './helpers/app.js'
import { callHook } from './helpers/fake-http.js'

const SCALE = Number(process.env.FUZZ_SCALE ?? 1)
const SECRET = 'fuzz-secret-fuzz-secret-fuzz-secret!'
const joseKey = new TextEncoder().encode(SECRET)
const b64 = (value: string): string => Buffer.from(value).toString('base64url')
const sign = (header: string, payload: string): string => {
  const input = `${b64(header)}.${b64(payload)}`
  return `${input}.${createHmac('sha256', SECRET).update(input).digest('base64url')}`
}
const now = (): number => Math.floor(Date.now() / 1000)

async function joseAccepts (token: string): Promise<boolean> {
  try {
    await jwtVerify(token, joseKey, { algorithms: ['HS256'] })
    return true
  } catch {
    return false
  }
}

describe('fuzzing', () => {
  let app: FastifyInstance
  const unexpected: unknown[] = []
  const onUnexpected = (error: unknown): void => { unexpected.push(error) }
  let cases = 0
  let accepted = 0

  before(async () => {
    process.on('unhandledRejection', onUnexpected)
    process.on('uncaughtException', onUnexpected)
    app = await guardedApp({ secret: SECRET, verify: { algorithms: ['HS256'] } })
    await app.ready()
  })
  after(async () => {
    process.off('unhandledRejection', onUnexpected)
    process.off('uncaughtException', onUnexpected)
    await app.close()
  })

  /** The property every case must hold; returns the status for further checks. */
  async function check (authorization: string, token: string | null): Promise<number> {
    cases++
    const { status, body } = await callHook(app, authorization)
    if (status === 200) {
      assert.ok(token !== null && await joseAccepts(token), `200 for a token jose refuses: ${authorization}`)
      accepted++
      return status
    }
    assert.ok([400, 401, 503].includes(status), `status ${status}`)
    const parsed = JSON.parse(body)
    assert.deepEqual(Object.keys(parsed), ['statusCode', 'code', 'error', 'message'])
    if (token !== null && token.length > 8) assert.ok(!body.includes(token), 'the body holds the token')
    assert.ok(!body.includes(SECRET) && !body.includes('stack'))
    return status
  }

  test('arbitrary Authorization values', async () => {
    const scheme = fc.constantFrom('Bearer ', 'bearer ', 'BEARER\t', 'Bearer', '', 'Basic ', 'Bearer  ', ' Bearer ')
    const rest = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 100 }), fc.stringMatching(/^[A-Za-z0-9_.=\- ]{0,200}$/))
    await fc.assert(fc.asyncProperty(scheme, rest, async (s, r) => {
      const status = await check(s + r, r.trim())
      assert.notEqual(status, 200)
    }), { numRuns: 40000 * SCALE })
  })

  test('mutated valid tokens', async () => {
    const valid = sign('{"alg":"HS256","typ":"JWT"}', JSON.stringify({ sub: 'fuzz', exp: now() + 3600 }))
    const [h, p, s] = valid.split('.')
    const mutation = fc.oneof(
      fc.tuple(fc.nat(valid.length - 1), fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ')).map(([i, c]) => valid.slice(0, i) + c + valid.slice(i + 1)),
      fc.nat(valid.length).map((i) => valid.slice(0, i)),
      fc.nat(valid.length).map((i) => valid.slice(i)),
      fc.constantFrom(`${p}.${h}.${s}`, `${h}.${s}.${p}`, `${h}.${p}`, `${h}.${p}.${s}.${s}`, `${h}.${p}.`, `.${p}.${s}`, `${h}..${s}`, `${valid}=`, `${valid}==`, `${h}=.${p}.${s}`),
      fc.constantFrom(h, p, s).map((part) => valid.replace(part, Buffer.from(part, 'base64url').toString('base64'))),
      fc.nat(valid.length - 1).map((i) => valid.slice(0, i) + valid[i].toUpperCase() + valid.slice(i + 1)),
      fc.tuple(fc.nat(Buffer.from(s, 'base64url').length * 8 - 1)).map(([bit]) => {
        const bytes = Buffer.from(s, 'base64url')
        bytes[bit >> 3] ^= 1 << (bit & 7)
        return `${h}.${p}.${bytes.toString('base64url')}`
      })
    )
    await fc.assert(fc.asyncProperty(mutation, async (token) => {
      await check(`Bearer ${token}`, token)
    }), { numRuns: 30000 * SCALE })
  })

  test('arbitrary JSON headers and payloads, signed with the right key', async () => {
    const t = now()
    // Dates well away from now, so jose's and fast-jwt's second rounding cannot disagree.
    const date = fc.oneof(fc.integer({ min: t - 10 ** 6, max: t - 60 }), fc.integer({ min: t + 60, max: t + 10 ** 6 }), fc.constantFrom('soon', null, [t + 100], true, -1, 1.5))
    const claim = fc.oneof(fc.jsonValue({ maxDepth: 2 }), date)
    const payload = fc.oneof(
      fc.record({ exp: date, nbf: date, iat: date, sub: claim, __proto__: fc.jsonValue({ maxDepth: 1 }), crit: claim }, { requiredKeys: [] }),
      fc.dictionary(fc.string({ maxLength: 8 }), claim, { maxKeys: 6 }),
      fc.jsonValue({ maxDepth: 2 })
    ).map((value) => JSON.stringify(value) ?? 'null')
    const header = fc.oneof(
      fc.record({ alg: fc.constantFrom('HS256', 'HS512', 'none', 'NONE', 'RS256', 'hs256'), typ: fc.constantFrom('JWT', 'at+jwt', undefined), crit: fc.constantFrom(undefined, [], ['b64'], ['exp'], 'x'), b64: fc.constantFrom(undefined, false), kid: fc.string({ maxLength: 5 }) }, { requiredKeys: ['alg'] }),
      fc.jsonValue({ maxDepth: 1 })
    ).map((value) => JSON.stringify(value) ?? 'null')
    const before = accepted
    await fc.assert(fc.asyncProperty(header, payload, async (hText, pText) => {
      const token = sign(hText, pText)
      await check(`Bearer ${token}`, token)
    }), { numRuns: 30000 * SCALE })
    // Otherwise "a 200 only when jose agrees" would hold vacuously.
    assert.ok(accepted - before > 100 * SCALE, `${accepted - before} signed tokens accepted`)
  })

  test('arbitrary scope claims on a scoped route: 200 exactly when the scope is granted, else 403, never anything else', async () => {
    // The route's config object is the same for every case, as a real route's is.
    const config = { jwt: { scopes: ['orders:write'] }, method: 'GET', url: '/fuzz' }
    const scopeLike = fc.oneof(
      fc.tuple(fc.array(fc.constantFrom('orders:write', 'orders:read', 'orders', 'write', 'ORDERS:WRITE', 'orders:write ', ' ', ''), { maxLength: 4 }), fc.constantFrom(' ', '  ', '\t', ','))
        .map(([parts, separator]) => parts.join(separator)),
      fc.array(fc.oneof(fc.constantFrom('orders:write', 'orders:read', ' orders:write', ['orders:write']), fc.jsonValue({ maxDepth: 1 })), { maxLength: 4 }),
      fc.jsonValue({ maxDepth: 2 })
    )
    const claims = fc.record({ scope: scopeLike, scp: scopeLike, permissions: scopeLike }, { requiredKeys: [] })
    // Written from the spec (RFC 8693 §4.2: space-delimited; scp/permissions: arrays of strings), not from lib/.
    const grants = (payload: Record<string, unknown>): boolean => ['scope', 'scp', 'permissions'].some((name) => {
      const value = payload[name]
      if (typeof value === 'string') return value.split(' ').includes('orders:write')
      return Array.isArray(value) && value.includes('orders:write')
    })
    await fc.assert(fc.asyncProperty(claims, async (extra) => {
      cases++
      const payload = { sub: 'fuzz', exp: now() + 3600, ...extra }
      const { status, headers, body } = await callHook(app, `Bearer ${sign('{"alg":"HS256","typ":"JWT"}', JSON.stringify(payload))}`, config)
      if (grants(payload)) {
        assert.equal(status, 200, JSON.stringify(extra))
        return
      }
      assert.equal(status, 403, JSON.stringify(extra))
      assert.equal(JSON.parse(body).code, 'FST_JWT_GUARD_INSUFFICIENT_SCOPE')
      assert.match(headers['www-authenticate'], /, scope="orders:write"$/)
    }), { numRuns: 10000 * SCALE })
  })

  test('at least 100,000 cases ran, and nothing escaped as an unhandled rejection or exception', (t) => {
    assert.ok(cases >= 100000 * SCALE, `${cases} cases`)
    t.diagnostic(`${cases} cases, ${accepted} accepted (each confirmed by jose)`)
    assert.deepEqual(unexpected, [])
  })
})
