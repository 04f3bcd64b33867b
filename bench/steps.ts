// npm run bench:steps: the guard's own steps in ns per call (extract, prescreen, verify, classify, reply).
import { createSigner, TokenError } from 'fast-jwt'
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify'
import { createAuthorizer, DEFAULT_SCOPE_CLAIMS } from '../lib/authorize.js'
import { compilePolicy, policyOfRequest } from '../lib/policy.js'
import { extractToken } from '../lib/extract.js'
import { createPrescreen } from '../lib/prescreen.js'
import { jwtFailureKind } from '../lib/classify.js'
import { createRenderer } from '../lib/reply.js'
import { bodyMessages } from '../lib/messages.js'
import { createKeyedVerifier } from '../lib/verifier-cache.js'

const SECRET = 'bench-secret-bench-secret-bench-secret'
const sign = createSigner({ key: SECRET })
const valid = sign({ sub: 'bench-user', exp: Math.floor(Date.now() / 1000) + 86400 })
const badSignature = createSigner({ key: 'other' })({ sub: 'bench-user' })
const request = { headers: { authorization: `Bearer ${valid}` }, raw: { rawHeaders: ['Host', 'x', 'Authorization', `Bearer ${valid}`] }, log: { info () {}, error () {} } } as unknown as FastifyRequest
const extract = { extractToken: null, onlyCookie: false, cookie: null }
const prescreen = createPrescreen({})
const verifier = createKeyedVerifier({ key: SECRET })
const cached = createKeyedVerifier({ key: SECRET, cache: true })
const renderer = createRenderer({ realm: 'api', messages: bodyMessages({}), problemDetails: false, onFailure: null })
const authorize = createAuthorizer({ scopeClaims: DEFAULT_SCOPE_CLAIMS, complete: false })
const scopedPolicy = compilePolicy({ scopes: ['orders:write'] }, 'config.jwt', 'of route GET /bench')
const scopedClaims = { sub: 'bench-user', scope: 'orders:read orders:write' }

// A real Fastify request, for the cost of reading the route's policy through request.routeOptions.
async function realRequest (): Promise<FastifyRequest> {
  const app = Fastify()
  let captured: FastifyRequest | null = null
  app.get('/bench', { config: { jwt: { scopes: ['orders:write'] } } }, async (req) => { captured = req; return 'ok' })
  await app.inject('/bench')
  return captured as unknown as FastifyRequest
}
const reply = { sent: false, code () { return this }, headers () { return this }, type () { return this }, send () { return this } } as unknown as FastifyReply
const tokenError = new TokenError(TokenError.codes.expired, 'x')

function time (name: string, fn: () => unknown, iterations = 200000): [string, number] {
  for (let i = 0; i < 20000; i++) fn()
  const start = process.hrtime.bigint()
  for (let i = 0; i < iterations; i++) fn()
  return [name, Number(process.hrtime.bigint() - start) / iterations]
}

function quietly (fn: () => unknown): () => unknown {
  return () => {
    const limit = Error.stackTraceLimit
    Error.stackTraceLimit = 0
    try { return fn() } catch (error) { return error } finally { Error.stackTraceLimit = limit }
  }
}

async function main (): Promise<void> {
  const fastifyRequest = await realRequest()
  const rows = [
    time('extract: Bearer header', () => extractToken(request, extract)),
    time('prescreen: valid token (regex + payload decode)', () => prescreen(valid)),
    time('prescreen: garbage', () => prescreen('garbage')),
    time('verify: valid (fast-jwt, HS256)', () => verifier.verify(valid), 50000),
    time('verify: bad signature, stacks off', quietly(() => verifier.verify(badSignature)), 50000),
    time('verify: bad signature, stacks on', () => { try { return verifier.verify(badSignature) } catch (error) { return error } }, 50000),
    time('cache: hit', () => cached.cache!.get(valid) ?? cached.cache!.set(valid, verifier.verify(valid))),
    time('classify: a TokenError', () => jwtFailureKind(tokenError)),
    time('policy: the route\'s policy (request.routeOptions + WeakMap)', () => policyOfRequest(fastifyRequest)),
    time('authorize: one required scope', () => authorize(scopedPolicy, scopedClaims, fastifyRequest)),
    time('reply: render a failure', () => renderer.send(request, reply, { kind: 'expired' }))
  ]
  process.stdout.write(`Node ${process.version}\n\n| step | ns per call |\n|---|---:|\n`)
  for (const [name, ns] of rows) process.stdout.write(`| ${name} | ${ns.toFixed(0)} |\n`)
}

main().catch((error: unknown) => { console.error(error); process.exitCode = 1 })
