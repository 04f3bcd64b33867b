// One benchmark server per process, so CPU time is measured for that server alone.
// Config comes as JSON in argv[2]; the parent talks to it over IPC: 'cpu' -> CPU time, memory, log bytes.
import Fastify, { type FastifyInstance } from 'fastify'
import fastifyJwt from '@fastify/jwt'
import { Writable } from 'node:stream'
import jwtGuard from 'fastify-jwt-guard' // the built package, as an app loads it

export interface ServerConfig {
  impl: 'bare' | 'fastify-jwt' | 'guard' | 'guard-global' | 'guard-scoped'
  logger: boolean
  cache: boolean
  secret: string
}

const config = JSON.parse(process.argv[2]) as ServerConfig
let logBytes = 0
// What the soak script looks for in the log: warnings, errors, and a reply sent twice.
const logAlarms = { warn: 0, error: 0, alreadySent: 0, processWarnings: 0 }
const sink = new Writable({
  write (chunk, _encoding, done) {
    logBytes += chunk.length
    const text = String(chunk)
    if (text.includes('"level":40')) logAlarms.warn++
    if (/"level":(50|60)/.test(text)) logAlarms.error++
    if (text.includes('FST_ERR_REP_ALREADY_SENT')) logAlarms.alreadySent++
    done()
  }
})
process.on('warning', () => { logAlarms.processWarnings++ })

async function build (): Promise<FastifyInstance> {
  const app = Fastify({ logger: config.logger ? { level: 'info', stream: sink } : false })
  const verify = config.cache ? { cache: true } : undefined
  if (config.impl === 'guard') {
    await app.register(jwtGuard, { secret: config.secret, verify })
    app.get('/', { onRequest: app.authenticate }, async () => ({ ok: true }))
  } else if (config.impl === 'guard-global') {
    // No hook named: the guard's scope hook finds the route's (empty) policy.
    await app.register(jwtGuard, { secret: config.secret, verify, global: true })
    app.get('/', async () => ({ ok: true }))
  } else if (config.impl === 'guard-scoped') {
    await app.register(jwtGuard, { secret: config.secret, verify, global: true })
    app.get('/', { config: { jwt: { scopes: ['bench:read'] } } }, async () => ({ ok: true }))
  } else if (config.impl === 'fastify-jwt') {
    await app.register(fastifyJwt, { secret: config.secret, verify })
    app.get('/', { onRequest: async (request) => { await request.jwtVerify() } }, async () => ({ ok: true }))
  } else {
    app.get('/', async () => ({ ok: true }))
  }
  return app
}

build().then(async (app) => {
  await app.listen({ port: 0, host: '127.0.0.1' })
  const port = (app.server.address() as { port: number }).port
  process.on('message', (message: string) => {
    if (message === 'cpu' || message === 'gc-then-cpu') {
      // The soak script asks for heap after a full GC: what is retained, not what awaits collection.
      if (message === 'gc-then-cpu') (globalThis as { gc?: () => void }).gc?.()
      const cpu = process.cpuUsage()
      const memory = process.memoryUsage()
      process.send!({ type: 'cpu', cpuMicros: cpu.user + cpu.system, heapUsed: memory.heapUsed, rss: memory.rss, logBytes, logAlarms })
    } else if (message === 'close') {
      app.close().then(() => process.exit(0), () => process.exit(1))
    }
  })
  process.send!({ type: 'ready', port })
}, (error) => {
  console.error(error)
  process.exit(1)
})
