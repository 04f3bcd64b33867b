import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { deadline, installConsumer, node, pack, repoRoot, writeFiles, type Packed } from './helpers/pack.js'

// The package as a user installs it: `npm pack` of the built repository, installed with fastify 5
// into a fresh folder, then loaded from ESM and CommonJS and compiled by TypeScript three ways.

/**
 * What every JavaScript consumer checks, given `plugins` (the import forms to register) and
 * `Fastify`, `assert`, `errorCodes`, `isJwtGuardError` and `failureChannel` in scope.
 */
const CHECK_PLUGINS = `
async function check (name, plugin) {
  const app = Fastify()
  await app.register(plugin, { secret: 'x' })
  app.get('/', { onRequest: app.authenticate }, async (request) => ({ sub: request.user.sub }))
  app.get('/scoped', { config: { jwt: { scopes: ['orders:write'] } } }, async () => 'in')
  app.get('/verify', async (request) => {
    try {
      return await request.verifyJwt()
    } catch (error) {
      return { guardError: isJwtGuardError(error), code: error.code }
    }
  })
  const token = app.jwt.sign({ sub: 'u1' })

  const ok = await app.inject({ url: '/', headers: { authorization: 'Bearer ' + token } })
  assert.equal(ok.statusCode, 200, name + ': a valid token gets 200')
  assert.deepEqual(ok.json(), { sub: 'u1' }, name)

  const missing = await app.inject({ url: '/' })
  assert.equal(missing.statusCode, 401, name + ': no token gets 401')
  assert.equal(missing.headers['www-authenticate'], 'Bearer realm="api"', name)
  assert.equal(missing.json().code, errorCodes.missing, name)

  const rejected = await app.inject({ url: '/verify' })
  assert.deepEqual(rejected.json(), { guardError: true, code: 'FST_JWT_GUARD_NO_TOKEN' }, name)

  const scoped = await app.inject({ url: '/scoped', headers: { authorization: 'Bearer ' + token } })
  assert.equal(scoped.statusCode, 403, name + ': a route policy answers 403')
  assert.match(scoped.headers['www-authenticate'], /error="insufficient_scope".*scope="orders:write"$/, name)
  assert.equal(failureChannel, 'fastify-jwt-guard:failure', name)
  await app.close()
}

async function main () {
  for (const [name, plugin] of Object.entries(plugins)) await check(name, plugin)
  console.log('checked ' + Object.keys(plugins).join(', '))
}
`

const ESM_CONSUMER = `import assert from 'node:assert/strict'
import Fastify from 'fastify'
import jwtGuard, { jwtGuard as named, errorCodes, isJwtGuardError, failureChannel } from 'fastify-jwt-guard'

assert.equal(typeof jwtGuard, 'function')
assert.equal(named, jwtGuard)
const plugins = { 'default import': jwtGuard, 'named import': named }
${CHECK_PLUGINS}
await main()
`

const CJS_CONSUMER = `'use strict'
const assert = require('node:assert/strict')
const Fastify = require('fastify')
const jwtGuard = require('fastify-jwt-guard')
const { errorCodes, isJwtGuardError, failureChannel } = jwtGuard

assert.equal(typeof jwtGuard, 'function')
assert.equal(jwtGuard.default, jwtGuard)
assert.equal(jwtGuard.jwtGuard, jwtGuard)
const plugins = { 'require()': jwtGuard, 'require().default': jwtGuard.default, 'require().jwtGuard': jwtGuard.jwtGuard }
${CHECK_PLUGINS}
main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
`

/** Statements every TypeScript consumer compiles, given `app` (a Fastify instance) and the package's exports. */
const TS_CHECKS = `
type Equal<A, B> = (<V>() => V extends A ? 1 : 2) extends (<V>() => V extends B ? 1 : 2) ? true : false
function expectTrue<T extends true> (_proof?: T): void {}

const options: JwtGuardOptions = { secret: 'x', realm: 'api', errorHandler: true }
app.register(jwtGuard, options)
// @ts-expect-error realm must be a string
app.register(jwtGuard, { secret: 'x', realm: 42 })
// @ts-expect-error errorHandler must be a boolean
app.register(jwtGuard, { secret: 'x', errorHandler: 'yes' })

app.get('/a', { onRequest: app.authenticate }, async () => 'ok')
app.get('/b', { preHandler: [app.authenticate] }, async () => 'ok')
app.get('/policy', { config: { jwt: { scopes: ['a'], allow: (claims) => claims.sub === 'root' } } }, async () => 'ok')
app.get('/optional', async (request) => {
  const maybe = await request.verifyJwt({ optional: true })
  expectTrue<Equal<typeof maybe, Record<string, unknown> | null>>()
  return maybe
})
app.get('/c', async (request) => {
  const claims = await request.verifyJwt()
  // Without the app's FastifyJWT declaration, the claims are a plain record.
  expectTrue<Equal<typeof claims, Record<string, unknown>>>()
  return claims
})
// @ts-expect-error no such decorator
app.authenticated()

const code: JwtGuardErrorCode = errorCodes.expired
// @ts-expect-error not a guard code
const wrong: JwtGuardErrorCode = 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED'
const failure: unknown = new Error('x')
if (isJwtGuardError(failure)) {
  const narrowed: JwtGuardError = failure
  expectTrue<Equal<typeof narrowed.code, JwtGuardErrorCode>>()
}
export { code, wrong }
`

const TS_ESM_CONSUMER = `import Fastify from 'fastify'
import jwtGuard, { errorCodes, isJwtGuardError, jwtGuard as named } from 'fastify-jwt-guard'
import type { JwtGuardError, JwtGuardErrorCode, JwtGuardOptions } from 'fastify-jwt-guard'

const app = Fastify()
app.register(named, { secret: 'x' })
${TS_CHECKS}`

const TS_CJS_CONSUMER = `import Fastify = require('fastify')
import jwtGuard = require('fastify-jwt-guard')
import { errorCodes, isJwtGuardError } from 'fastify-jwt-guard'
import type { JwtGuardError, JwtGuardErrorCode, JwtGuardOptions } from 'fastify-jwt-guard'

const app = Fastify()
app.register(jwtGuard.default, { secret: 'x' })
app.register(jwtGuard.jwtGuard, { secret: 'x' })
${TS_CHECKS}`

function tsconfig (compilerOptions: Record<string, unknown>, files: string[]): string {
  return JSON.stringify({
    compilerOptions: { target: 'ES2022', strict: true, skipLibCheck: false, noEmit: true, types: ['node'], ...compilerOptions },
    files
  }, null, 2) + '\n'
}

// The commands block the event loop, so node:test cannot stop them: each gets what is left of a
// budget a little under the test's own timeout.
const TIMEOUT_MS = 240_000

test('the packed package installs and works from ESM, CommonJS and TypeScript', { timeout: TIMEOUT_MS }, async (t) => {
  const timeLeft = deadline(TIMEOUT_MS - 10_000)
  const scratch = mkdtempSync(path.join(tmpdir(), 'fastify-jwt-guard-package-'))
  t.after(() => rmSync(scratch, { recursive: true, force: true }))
  assert.ok(existsSync(path.join(repoRoot, 'dist/index.js')), 'dist/ is missing: run `npm run build` first')

  let packed: Packed | undefined
  await t.test('npm pack ships the build and the types, and nothing of the sources or tests', () => {
    packed = pack(path.join(scratch, 'pack'), timeLeft(60_000))
    const files = packed.files
    for (const required of ['package.json', 'dist/index.js', 'types/index.d.ts']) {
      assert.ok(files.includes(required), `the tarball lacks ${required}`)
    }
    const unwanted = files.filter((file) => /^(test|lib|build)\//.test(file) || file.endsWith('.test-d.ts'))
    assert.deepEqual(unwanted, [], 'sources, tests and type tests stay out of the tarball')
    const unlisted = files.filter((file) => !/^(package\.json|README\.md|LICENSE|types\/index\.d\.ts|dist\/.+\.js(\.map)?)$/.test(file))
    assert.deepEqual(unlisted, [], 'the tarball holds only the manifest, the docs, dist/ and types/index.d.ts')
  })

  await t.test('every path of package.json main, types and exports is in the tarball', () => {
    assert.ok(packed !== undefined, 'npm pack failed')
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      main: string, types: string, exports: Record<string, string | Record<string, string>>
    }
    const dot = manifest.exports['.'] as Record<string, string>
    assert.equal(Object.keys(dot)[0], 'types', 'the "types" condition comes first')
    const targets = [manifest.main, manifest.types, ...Object.values(manifest.exports).flatMap((target) => typeof target === 'string' ? [target] : Object.values(target))]
    for (const target of targets) {
      assert.ok(packed.files.includes(path.posix.normalize(target)), `${target} is not in the tarball`)
    }
  })

  const consumer = path.join(scratch, 'consumer')
  let installed = false
  await t.test('the tarball installs into a fresh folder with fastify 5', () => {
    assert.ok(packed !== undefined, 'npm pack failed')
    installConsumer(consumer, packed.tarball, ['fastify@5', 'typescript@~5.9.3', '@types/node@^20.19.0'], timeLeft(180_000))
    assert.ok(existsSync(path.join(consumer, 'node_modules/fastify-jwt-guard/package.json')))
    installed = true
  })

  await t.test('an ES module consumer registers the default and the named import', (st) => {
    if (!installed) return st.skip('the install failed')
    writeFiles(consumer, { 'esm.mjs': ESM_CONSUMER })
    assert.match(node(['esm.mjs'], consumer, timeLeft(60_000)), /checked default import, named import/)
  })

  await t.test('a CommonJS consumer registers require(), .default and .jwtGuard', (st) => {
    if (!installed) return st.skip('the install failed')
    writeFiles(consumer, { 'cjs.cjs': CJS_CONSUMER })
    assert.match(node(['cjs.cjs'], consumer, timeLeft(60_000)), /checked require\(\), require\(\)\.default, require\(\)\.jwtGuard/)
  })

  const tsc = path.join(consumer, 'node_modules/typescript/bin/tsc')

  await t.test('a TypeScript consumer compiles under module nodenext, as ESM (.mts) and as CommonJS (.cts)', (st) => {
    if (!installed) return st.skip('the install failed')
    writeFiles(consumer, {
      'esm.mts': TS_ESM_CONSUMER,
      'cjs.cts': TS_CJS_CONSUMER,
      'tsconfig.nodenext.json': tsconfig({ module: 'nodenext', moduleResolution: 'nodenext' }, ['esm.mts', 'cjs.cts'])
    })
    node([tsc, '-p', 'tsconfig.nodenext.json'], consumer, timeLeft(120_000))
  })

  await t.test('a TypeScript consumer compiles under moduleResolution bundler', (st) => {
    if (!installed) return st.skip('the install failed')
    writeFiles(consumer, {
      'bundler.ts': TS_ESM_CONSUMER,
      'tsconfig.bundler.json': tsconfig({ module: 'esnext', moduleResolution: 'bundler' }, ['bundler.ts'])
    })
    node([tsc, '-p', 'tsconfig.bundler.json'], consumer, timeLeft(120_000))
  })
})
