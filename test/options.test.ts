import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import Fastify from 'fastify'
import fastifyJwt from '@fastify/jwt'
import jwtGuard from '../lib/index.js'

async function bootError (options: unknown): Promise<Error & { code?: string }> {
  const app = Fastify()
  app.register(jwtGuard, options as never)
  try {
    await app.ready()
  } catch (error) {
    return error as Error & { code?: string }
  } finally {
    await app.close()
  }
  throw new Error('ready() resolved')
}

describe('bad configuration fails at ready() with a message naming the plugin and the option', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['no secret', {}, /"secret" option is required/],
    ['an empty secret', { secret: '' }, /"secret" option is required: .*got a string/],
    ['a numeric secret', { secret: 42 }, /"secret" option is required: .*got a number/],
    ['a null secret', { secret: null }, /got null/],
    ['an array secret', { secret: ['a'] }, /got an array/],
    ['a key pair without public', { secret: { private: 'x' } }, /"secret.public" option/],
    ['errorHandler not a boolean', { secret: 's', errorHandler: 'yes' }, /"errorHandler" option must be a boolean, got a string/],
    ['an unknown option', { secret: 's', secert: 's' }, /unknown option "secert"/],
    ['a realm that is not a string', { secret: 's', realm: 5 }, /"realm" option must be a non-empty string of printable ASCII, got a number/],
    ['a realm with a control character', { secret: 's', realm: 'a\nb' }, /"realm" option/],
    ['an empty realm', { secret: 's', realm: '' }, /"realm" option/],
    ['verify not an object', { secret: 's', verify: 'x' }, /"verify" option must be an object, got a string/],
    ['decode not an object', { secret: 's', decode: [] }, /"decode" option must be an object, got an array/],
    ['sign not an object', { secret: 's', sign: Buffer.from('x') }, /"sign" option must be an object, got a Buffer/],
    ['messages not an object', { secret: 's', messages: 1 }, /"messages" option must be an object/],
    ['cookie without a name', { secret: 's', cookie: {} }, /"cookie.cookieName" option/],
    ['trusted not a function', { secret: 's', trusted: true }, /"trusted" option must be a function, got a boolean/],
    ['formatUser not a function', { secret: 's', formatUser: 'x' }, /"formatUser" option must be a function/],
    ['extractToken not a function', { secret: 's', verify: { extractToken: 'x' } }, /"extractToken" option must be a function/],
    ['an empty decoratorName', { secret: 's', decoratorName: '' }, /"decoratorName" option/],
    ['an unparseable maxAge', { secret: 's', verify: { maxAge: 'soon' } }, /"verify.maxAge" option must be a number of seconds or a duration string/],
    ['an empty maxAge', { secret: 's', verify: { maxAge: ' ' } }, /"verify.maxAge"/],
    ['a negative maxAge', { secret: 's', verify: { maxAge: -1 } }, /"verify.maxAge"/],
    ['algorithms not an array', { secret: 's', verify: { algorithms: 'HS256' } }, /"verify.algorithms" option must be a non-empty array of strings/],
    ['empty algorithms', { secret: 's', verify: { algorithms: [] } }, /"verify.algorithms"/],
    ['algorithms allowing none', { secret: 's', verify: { algorithms: ['HS256', 'None'] } }, /must not allow "none"/],
    ['options that are not an object', 'secret', /options must be an object, got a string/],
    ['a key that cannot verify', { secret: { private: 'x', public: '-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----' } }, /"secret" or "verify" options cannot verify tokens/],
    ['an unknown verify option (a typo)', { secret: 's', verify: { algorithm: 'HS256' } }, /unknown option "verify.algorithm"/],
    ['an unknown decode option', { secret: 's', decode: { completes: true } }, /unknown option "decode.completes"/],
    ['an unknown message', { secret: 's', messages: { expiredMessage: 'x' } }, /unknown option "messages.expiredMessage"; it takes a failure kind \(missing, bad_request, .*\) or a message key of @fastify\/jwt/],
    ['a kind message that is not a string', { secret: 's', messages: { expired: 1 } }, /"messages.expired" option must be a non-empty string, got a number/],
    ['an empty kind message', { secret: 's', messages: { forbidden: '' } }, /"messages.forbidden" option must be a non-empty string, got a string/],
    ['global not a boolean', { secret: 's', global: 'yes' }, /"global" option must be a boolean, got a string/],
    ['problemDetails not a boolean', { secret: 's', problemDetails: 1 }, /"problemDetails" option must be a boolean, got a number/],
    ['onFailure not a function', { secret: 's', onFailure: {} }, /"onFailure" option must be a function, got an object/],
    ['an empty scopeClaim', { secret: 's', scopeClaim: '' }, /"scopeClaim" option must be a claim name or a non-empty array of claim names, got a string/],
    ['a scopeClaim list with a number', { secret: 's', scopeClaim: ['scp', 1] }, /"scopeClaim" option must be a claim name or a non-empty array of claim names, got an array/],
    ['an empty scopeClaim list', { secret: 's', scopeClaim: [] }, /"scopeClaim" option must be a claim name/],
    ['a message that is not a string', { secret: 's', messages: { badRequestErrorMessage: 1 } }, /"messages.badRequestErrorMessage" option must be a string, got a number/],
    ['cookie.signed not a boolean', { secret: 's', cookie: { cookieName: 't', signed: 'yes' } }, /"cookie.signed" option must be a boolean/],
    ['onlyCookie not a boolean', { secret: 's', cookie: { cookieName: 't' }, verify: { onlyCookie: 1 } }, /"verify.onlyCookie" option must be a boolean/],
    ['onlyCookie without a cookie', { secret: 's', verify: { onlyCookie: true } }, /"verify.onlyCookie" option needs the "cookie" option/],
    ['a jwtVerify name that is not a string', { secret: 's', jwtVerify: 1 }, /"jwtVerify" option must be a non-empty string/],
    ['an empty namespace', { secret: 's', namespace: '' }, /"namespace" option must be a non-empty string/],
    ['sign options @fastify/jwt refuses', { secret: 's', sign: { expiresIn: 'garbage' } }, /@fastify\/jwt refused the options: /],
    ['a cache size that is not a number', { secret: 's', verify: { cache: 'yes' } }, /"verify.cache" option must be a boolean or a number of entries, got a string/],
    ['an infinite cache size', { secret: 's', verify: { cache: Infinity } }, /"verify.cache" option/],
    ['a negative cacheTTL', { secret: 's', verify: { cacheTTL: -5 } }, /"verify.cacheTTL" option must be a number of milliseconds, got a number/],
    ['verify options fast-jwt refuses', { secret: 's', verify: { clockTolerance: 'abc' } }, /"secret" or "verify" options cannot verify tokens: .*clockTolerance/]
  ]
  for (const [name, options, message] of cases) {
    test(`${name} is refused`, async () => {
      const error = await bootError(options)
      assert.equal(error.code, 'FST_JWT_GUARD_INVALID_OPTION')
      assert.match(error.message, /^fastify-jwt-guard: /)
      assert.match(error.message, message)
    })
  }

  test('@fastify/jwt options are refused when @fastify/jwt is already registered', async () => {
    const app = Fastify()
    await app.register(fastifyJwt, { secret: 's' })
    app.register(jwtGuard, { secret: 's', realm: 'x' })
    await assert.rejects(async () => { await app.ready() }, /@fastify\/jwt is already registered in this scope, so its options \(secret\) belong there/)
  })

  test('a namespaced @fastify/jwt registered by the app is refused', async () => {
    const app = Fastify()
    await app.register(fastifyJwt, { secret: 's', namespace: 'a' })
    app.register(jwtGuard)
    await assert.rejects(async () => { await app.ready() }, /registered here with a namespace/)
  })
})

describe('options', () => {
  test('registering the plugin does not mutate its options', async () => {
    const options = { secret: 's', realm: 'r', verify: { maxAge: '1h' }, errorHandler: true }
    const copy = structuredClone(options)
    const app = Fastify()
    await app.register(jwtGuard, options)
    await app.ready()
    assert.deepEqual(options, copy)
    await app.close()
  })

  test('maxAge accepts a number of seconds and a duration string, as @fastify/jwt does', async () => {
    for (const maxAge of [60, '1m']) {
      const app = Fastify()
      await app.register(jwtGuard, { secret: 's', verify: { maxAge } })
      app.get('/', { onRequest: app.authenticate }, async () => 'ok')
      await app.ready()
      const fresh = app.jwt.sign({ sub: 'a' })
      const old = app.jwt.sign({ sub: 'a', iat: Math.floor(Date.now() / 1000) - 120 })
      assert.equal((await app.inject({ url: '/', headers: { authorization: `Bearer ${fresh}` } })).statusCode, 200)
      const res = await app.inject({ url: '/', headers: { authorization: `Bearer ${old}` } })
      assert.equal(res.statusCode, 401)
      assert.equal(res.json().code, 'FST_JWT_GUARD_TOKEN_EXPIRED')
      await app.close()
    }
  })

  test('a null maxAge is ignored, as @fastify/jwt does', async () => {
    const app = Fastify()
    await app.register(jwtGuard, { secret: 's', verify: { maxAge: null as never } })
    app.get('/', { onRequest: app.authenticate }, async () => 'ok')
    const old = app.jwt.sign({ sub: 'a', iat: 1 })
    assert.equal((await app.inject({ url: '/', headers: { authorization: `Bearer ${old}` } })).statusCode, 200)
    await app.close()
  })

  test('a custom realm goes into the challenge, quoted', async () => {
    const app = Fastify()
    await app.register(jwtGuard, { secret: 's', realm: 'orders "v2"' })
    app.get('/', { onRequest: app.authenticate }, async () => 'ok')
    const res = await app.inject({ url: '/' })
    assert.equal(res.headers['www-authenticate'], 'Bearer realm="orders \\"v2\\""')
    await app.close()
  })
})

test('Fastify\'s own register options (prefix, logLevel, logSerializers) are not the guard\'s to refuse', async () => {
  const app = Fastify()
  await app.register(async (scope) => {
    await scope.register(jwtGuard, { secret: 's', prefix: '/v1', logLevel: 'warn', logSerializers: {} } as never)
    scope.get('/me', { onRequest: scope.authenticate }, async () => 'ok')
  }, { prefix: '/api' })
  assert.equal((await app.inject('/api/me')).statusCode, 401)
  await app.close()
})
