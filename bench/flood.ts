// npm run bench:flood: 1,000,000 distinct bad tokens through app.authenticate with verify.cache on.
// Requests are plain objects handed to the hook, not inject(): inject itself keeps ~9 KB per call
// (measured with fastify 5.12.8), which would hide what the guard keeps.
// Whether the cached valid token survived is observed, not inferred: the key is a function that
// counts its calls, and fast-jwt calls it for every verification the guard's cache does not answer.
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify'
import { createSigner } from 'fast-jwt'
import jwtGuard from 'fastify-jwt-guard'

const COUNT = Number(process.env.FLOOD_COUNT ?? 1_000_000)
const SECRET = 'flood-secret-flood-secret-flood-secret'

function fakeRequest (authorization: string): FastifyRequest {
  return { headers: { authorization }, raw: { rawHeaders: ['Authorization', authorization] }, log: { info () {}, error () {} } } as unknown as FastifyRequest
}

function fakeReply (): FastifyReply & { status: number } {
  const reply = { sent: false, status: 200, code (status: number) { reply.status = status; return reply }, headers () { return reply }, type () { return reply }, send () { reply.sent = true; return reply } }
  return reply as unknown as FastifyReply & { status: number }
}

async function status (app: ReturnType<typeof Fastify>, token: string): Promise<number> {
  const reply = fakeReply()
  await app.authenticate(fakeRequest(`Bearer ${token}`), reply)
  return reply.status
}

async function main (): Promise<void> {
  const app = Fastify()
  let keyCalls = 0
  const key = async (): Promise<string> => { keyCalls++; return SECRET }
  await app.register(jwtGuard, { secret: SECRET, verify: { cache: 1000, key } as never })
  await app.ready()
  const valid = app.jwt.sign({ sub: 'real-user' })
  const first = await status(app, valid)
  const second = await status(app, valid)
  const callsWhenCached = keyCalls
  const forge = createSigner({ key: 'attacker' })
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  const heapBefore = process.memoryUsage().heapUsed
  let heapPeak = heapBefore
  const started = Date.now()
  let rejected = 0
  for (let i = 0; i < COUNT; i++) {
    // Half forged with another key, half a valid token with its signature rewritten: all distinct.
    const token = i % 2 === 0 ? forge({ sub: `attacker-${i}` }) : `${valid.slice(0, -8)}${i.toString(36).padStart(8, '0')}`
    if (await status(app, token) === 401) rejected++
    if (i % 100000 === 0) heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)
  }
  gc?.()
  const heapAfter = process.memoryUsage().heapUsed
  const callsBefore = keyCalls
  const after = await status(app, valid)
  const servedFromCache = callsWhenCached === 1 && keyCalls === callsBefore
  process.stdout.write([
    '| flood (verify.cache: 1000) | |',
    '|---|---:|',
    `| distinct bad tokens | ${COUNT.toLocaleString('en')} |`,
    `| answered 401 | ${rejected.toLocaleString('en')} |`,
    `| valid token: before, cached, after the flood | ${first}, ${second}, ${after} |`,
    `| valid token still answered from the cache after the flood | ${servedFromCache ? 'yes' : 'no'} |`,
    `| heap used before → peak → after (MiB; before and after measured after a full GC) | ${(heapBefore / 2 ** 20).toFixed(1)} → ${(heapPeak / 2 ** 20).toFixed(1)} → ${(heapAfter / 2 ** 20).toFixed(1)} |`,
    `| seconds | ${((Date.now() - started) / 1000).toFixed(0)} |`
  ].join('\n') + '\n')
  await app.close()
}

main().catch((error) => { console.error(error); process.exit(1) })
