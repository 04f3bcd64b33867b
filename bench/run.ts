// npm run bench: every scenario in its own server process, pinned to one core, driven by autocannon
// from this process on the other core; scenarios interleaved over several rounds; medians printed as
// a markdown table with ratios from the same run.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import os from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'
import { createSigner } from 'fast-jwt'
import type { ServerConfig } from './server.js'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP ?? 2)
const CONNECTIONS = 50
const SECRET = 'bench-secret-bench-secret-bench-secret'

type TokenKind = 'valid' | 'expired' | 'bad signature' | 'garbage' | 'missing' | 'valid with the scope'
interface Scenario { name: string, impl: ServerConfig['impl'], logger: boolean, cache: boolean, token: TokenKind, status: number }
interface Sample { rps: number, p99: number, cpuPerRequest: number, logBytesPerRequest: number, statusOk: boolean }

const sign = createSigner({ key: SECRET })
const tokens: Record<TokenKind, string | null> = {
  valid: sign({ sub: 'bench-user', exp: Math.floor(Date.now() / 1000) + 86400 }),
  expired: sign({ sub: 'bench-user', exp: Math.floor(Date.now() / 1000) - 60 }),
  'bad signature': createSigner({ key: 'another-secret' })({ sub: 'bench-user' }),
  garbage: 'garbage',
  missing: null,
  'valid with the scope': sign({ sub: 'bench-user', scope: 'bench:read bench:write', exp: Math.floor(Date.now() / 1000) + 86400 })
}
const KINDS: TokenKind[] = ['valid', 'expired', 'bad signature', 'garbage', 'missing']

function scenarios (): Scenario[] {
  const list: Scenario[] = [{ name: 'bare Fastify, no auth', impl: 'bare', logger: false, cache: false, token: 'missing', status: 200 }]
  for (const impl of ['fastify-jwt', 'guard'] as const) {
    for (const token of KINDS) list.push({ name: `${impl}, ${token}`, impl, logger: false, cache: false, token, status: token === 'valid' ? 200 : 401 })
    list.push({ name: `${impl}, cache on, valid`, impl, logger: false, cache: true, token: 'valid', status: 200 })
    list.push({ name: `${impl}, cache on, bad signature`, impl, logger: false, cache: true, token: 'bad signature', status: 401 })
    list.push({ name: `${impl}, logger on, valid`, impl, logger: true, cache: false, token: 'valid', status: 200 })
    list.push({ name: `${impl}, logger on, expired`, impl, logger: true, cache: false, token: 'expired', status: 401 })
  }
  // Route policies: global mode without a named hook, and a scoped route (200 with the scope, 403 without).
  list.push({ name: 'guard global, valid', impl: 'guard-global', logger: false, cache: false, token: 'valid', status: 200 })
  list.push({ name: 'guard global, missing', impl: 'guard-global', logger: false, cache: false, token: 'missing', status: 401 })
  list.push({ name: 'guard scoped, valid with the scope', impl: 'guard-scoped', logger: false, cache: false, token: 'valid with the scope', status: 200 })
  list.push({ name: 'guard scoped, valid without the scope (403)', impl: 'guard-scoped', logger: false, cache: false, token: 'valid', status: 403 })
  list.push({ name: 'bare Fastify, logger on', impl: 'bare', logger: true, cache: false, token: 'missing', status: 200 })
  return list
}

const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0 && os.cpus().length > 1

function startServer (config: ServerConfig): Promise<{ child: ChildProcess, port: number }> {
  const serverArgs = ['--import', 'tsx', path.join(__dirname, 'server.ts'), JSON.stringify(config)]
  const child = hasTaskset
    ? spawn('taskset', ['-c', '1', process.execPath, ...serverArgs], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    : spawn(process.execPath, serverArgs, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)))
    child.on('message', (message: { type: string, port: number }) => {
      if (message.type === 'ready') resolve({ child, port: message.port })
    })
  })
}

function ask (child: ChildProcess): Promise<{ cpuMicros: number, logBytes: number, heapUsed: number }> {
  return new Promise((resolve) => {
    const listener = (message: { type: string, cpuMicros: number, logBytes: number, heapUsed: number }): void => {
      if (message.type !== 'cpu') return
      child.off('message', listener)
      resolve(message)
    }
    child.on('message', listener)
    child.send('cpu')
  })
}

function load (port: number, seconds: number, token: string | null): Promise<autocannon.Result> {
  return autocannon({
    url: `http://127.0.0.1:${port}/`,
    connections: CONNECTIONS,
    duration: seconds,
    headers: token === null ? {} : { authorization: `Bearer ${token}` }
  })
}

async function measure (scenario: Scenario): Promise<Sample> {
  const { child, port } = await startServer({ impl: scenario.impl, logger: scenario.logger, cache: scenario.cache, secret: SECRET })
  try {
    await load(port, WARMUP_SECONDS, tokens[scenario.token])
    const before = await ask(child)
    const result = await load(port, SECONDS, tokens[scenario.token])
    const after = await ask(child)
    const count = result.requests.total
    const statuses = Object.keys(result.statusCodeStats ?? {})
    return {
      rps: result.requests.average,
      p99: result.latency.p99,
      cpuPerRequest: (after.cpuMicros - before.cpuMicros) / count,
      logBytesPerRequest: (after.logBytes - before.logBytes) / count,
      statusOk: statuses.length === 1 && Number(statuses[0]) === scenario.status && result.errors === 0
    }
  } finally {
    child.removeAllListeners('exit')
    child.kill('SIGKILL')
  }
}

function median (values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

const fmt = (n: number, digits = 0): string => n.toFixed(digits)

async function main (): Promise<void> {
  const filter = process.env.BENCH_FILTER === undefined ? null : new RegExp(process.env.BENCH_FILTER)
  const list = scenarios().filter((s) => filter === null || filter.test(s.name) || s.impl === 'bare')
  const samples = new Map<string, Sample[]>(list.map((s) => [s.name, []]))
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order each round so no scenario always runs first or last.
    const order = list.map((_, i) => list[(i + round * 7) % list.length])
    for (const scenario of order) {
      process.stderr.write(`round ${round + 1}/${ROUNDS}: ${scenario.name}\n`)
      samples.get(scenario.name)!.push(await measure(scenario))
    }
  }
  const med = (name: string, key: keyof Sample): number => median(samples.get(name)!.map((s) => Number(s[key])))
  const bare = med('bare Fastify, no auth', 'cpuPerRequest')
  const lines = [
    `Machine: ${os.cpus().length} × ${os.cpus()[0].model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}; server pinned with taskset: ${hasTaskset ? 'yes (server core 1, load core 0)' : 'no'}`,
    `Command: npm run bench (BENCH_ROUNDS=${ROUNDS} BENCH_SECONDS=${SECONDS} BENCH_WARMUP=${WARMUP_SECONDS}, autocannon -c ${CONNECTIONS}, HS256); medians of ${ROUNDS} interleaved rounds`,
    '',
    '| scenario | req/s | p99 ms | server CPU µs/req | × @fastify/jwt | × bare | log B/req | statuses as expected |',
    '|---|---:|---:|---:|---:|---:|---:|---|'
  ]
  for (const s of list) {
    const cpu = med(s.name, 'cpuPerRequest')
    const twin = s.impl === 'guard' ? s.name.replace(/^guard/, 'fastify-jwt') : null
    const ratio = twin !== null && samples.has(twin) ? fmt(cpu / med(twin, 'cpuPerRequest'), 2) + 'x' : ''
    const ok = samples.get(s.name)!.every((x) => x.statusOk) ? 'yes' : '**no**'
    lines.push(`| ${s.name} | ${fmt(med(s.name, 'rps'))} | ${fmt(med(s.name, 'p99'), 1)} | ${fmt(cpu, 1)} | ${ratio} | ${fmt(cpu / bare, 2)}x | ${fmt(med(s.name, 'logBytesPerRequest'))} | ${ok} |`)
  }
  const guardValid = med('guard, valid', 'cpuPerRequest')
  lines.push('', '| target | measured | met |', '|---|---:|---|')
  const target = (name: string, value: number, limit: number): void => { lines.push(`| ${name} | ${fmt(value, 2)}x | ${value <= limit ? 'yes' : '**no**'} |`) }
  const policy = (name: string, scenario: string, over: string): void => {
    if (samples.has(scenario) && samples.has(over)) lines.push(`| ${name} | ${fmt(med(scenario, 'cpuPerRequest') / med(over, 'cpuPerRequest'), 2)}x | (information) |`)
  }
  policy('guard global valid ÷ guard valid (app.authenticate)', 'guard global, valid', 'guard, valid')
  policy('guard scoped valid ÷ guard valid', 'guard scoped, valid with the scope', 'guard, valid')
  policy('guard scoped 403 ÷ guard valid', 'guard scoped, valid without the scope (403)', 'guard, valid')
  policy('guard global missing ÷ guard missing', 'guard global, missing', 'guard, missing')
  if (filter !== null) { process.stdout.write(lines.join('\n') + '\n'); return }
  target('guard valid ≤ 1.0x @fastify/jwt valid', guardValid / med('fastify-jwt, valid', 'cpuPerRequest'), 1.0)
  target('guard valid with cache ≤ 0.8x @fastify/jwt valid', med('guard, cache on, valid', 'cpuPerRequest') / med('fastify-jwt, valid', 'cpuPerRequest'), 0.8)
  for (const kind of KINDS.filter((k) => k !== 'valid')) {
    target(`guard ${kind} ≤ 1.0x guard valid`, med(`guard, ${kind}`, 'cpuPerRequest') / guardValid, 1.0)
  }
  target('guard expired ≤ 0.4x @fastify/jwt expired (2.5x cheaper)', med('guard, expired', 'cpuPerRequest') / med('fastify-jwt, expired', 'cpuPerRequest'), 0.4)
  const extraLog = med('guard, logger on, expired', 'logBytesPerRequest') - med('guard, logger on, valid', 'logBytesPerRequest')
  lines.push(`| logger on: log bytes of a 401 minus a 200 ≤ 300 | ${fmt(extraLog)} B | ${extraLog <= 300 ? 'yes' : '**no**'} |`)
  process.stdout.write(lines.join('\n') + '\n')
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
