// npm run soak: a real guard server (logger on, verifier cache on; SOAK_IMPL picks the setup) driven for SOAK_SECONDS (60) by
// autocannon with a mix of valid, expired, forged and garbage tokens plus distinct forged ones;
// samples RSS and heap, and reports growth, status counts and anything alarming in the log.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import os from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'
import { createSigner } from 'fast-jwt'

const SECONDS = Number(process.env.SOAK_SECONDS ?? 60)
// guard (app.authenticate), guard-global (global: true) or guard-scoped (global, a scoped route: valid tokens get 403).
const IMPL = process.env.SOAK_IMPL ?? 'guard'
const SECRET = 'soak-secret-soak-secret-soak-secret'
const sign = createSigner({ key: SECRET })
const forge = createSigner({ key: 'attacker' })
const valid = sign({ sub: 'soak-user', exp: Math.floor(Date.now() / 1000) + 86400 })
const expired = sign({ sub: 'soak-user', exp: Math.floor(Date.now() / 1000) - 60 })
const forged = forge({ sub: 'admin' })

interface Stats { cpuMicros: number, heapUsed: number, rss: number, logBytes: number, logAlarms: Record<string, number> }

function ask (child: ChildProcess, message = 'gc-then-cpu'): Promise<Stats> {
  return new Promise((resolve) => {
    const listener = (message: Stats & { type: string }): void => {
      if (message.type !== 'cpu') return
      child.off('message', listener)
      resolve(message)
    }
    child.on('message', listener)
    child.send(message)
  })
}

async function main (): Promise<void> {
  const pinned = spawnSync('taskset', ['-c', '0', 'true']).status === 0 && os.cpus().length > 1
  const args = ['--expose-gc', '--import', 'tsx', path.join(__dirname, 'server.ts'), JSON.stringify({ impl: IMPL, logger: true, cache: true, secret: SECRET })]
  const child = pinned
    ? spawn('taskset', ['-c', '1', process.execPath, ...args], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    : spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const port = await new Promise<number>((resolve) => child.on('message', (m: { type: string, port: number }) => { if (m.type === 'ready') resolve(m.port) }))
  const start = await ask(child)
  const samples: Stats[] = [start]
  const timer = setInterval(() => { ask(child).then((s) => samples.push(s), () => {}) }, 5000)
  let distinct = 0
  const headersFor = (token: string | null) => token === null ? {} : { authorization: `Bearer ${token}` }
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/`,
    connections: 50,
    duration: SECONDS,
    requests: [
      { method: 'GET', headers: headersFor(valid) },
      { method: 'GET', headers: headersFor(expired) },
      { method: 'GET', headers: headersFor(forged) },
      { method: 'GET', headers: headersFor('garbage.garbage.garbage') },
      { method: 'GET', headers: headersFor(null) },
      // A new forged token every time: the flood a cache must survive.
      { method: 'GET', setupRequest: (request) => ({ ...request, headers: headersFor(forge({ sub: `x${distinct++}` })) }) }
    ]
  })
  clearInterval(timer)
  const end = await ask(child)
  child.kill('SIGKILL')
  const mib = (n: number): string => (n / 2 ** 20).toFixed(1)
  const heap = samples.map((s) => s.heapUsed)
  const rss = samples.map((s) => s.rss)
  const secondHalf = samples.slice(Math.floor(samples.length / 2))
  const lines = [
    `Machine: ${os.cpus().length} × ${os.cpus()[0].model.trim()}, Node ${process.version}; server pinned: ${pinned ? 'yes' : 'no'}; ${SECONDS} s, autocannon -c 50`,
    '',
    '| soak | |',
    '|---|---:|',
    `| requests | ${result.requests.total.toLocaleString('en')} |`,
    `| 2xx / non-2xx | ${result['2xx'].toLocaleString('en')} / ${result.non2xx.toLocaleString('en')} |`,
    `| status codes | ${Object.entries(result.statusCodeStats ?? {}).map(([code, v]) => `${code}: ${v.count}`).join(', ')} |`,
    `| socket errors / timeouts | ${result.errors} / ${result.timeouts} |`,
    `| distinct forged tokens sent | ${distinct.toLocaleString('en')} |`,
    `| heap after a full GC: start → max → end (MiB), sampled every 5 s | ${mib(start.heapUsed)} → ${mib(Math.max(...heap))} → ${mib(end.heapUsed)} |`,
    `| heap after GC, max of the first half vs the second half (MiB) | ${mib(Math.max(...samples.slice(0, Math.floor(samples.length / 2)).map((s) => s.heapUsed)))} vs ${mib(Math.max(...secondHalf.map((s) => s.heapUsed)))} |`,
    `| RSS start → max → end (MiB) | ${mib(start.rss)} → ${mib(Math.max(...rss))} → ${mib(end.rss)} |`,
    `| log bytes per request | ${((end.logBytes - start.logBytes) / result.requests.total).toFixed(0)} |`,
    `| log lines at warn / error, FST_ERR_REP_ALREADY_SENT, process warnings | ${end.logAlarms.warn} / ${end.logAlarms.error}, ${end.logAlarms.alreadySent}, ${end.logAlarms.processWarnings} |`
  ]
  process.stdout.write(lines.join('\n') + '\n')
}

main().catch((error) => { console.error(error); process.exit(1) })
