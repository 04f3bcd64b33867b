import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { createSigner } from 'fast-jwt'

// The example server as `tsc -p tsconfig.test.json` emits it (build/examples/server.js). It imports
// 'fastify-jwt-guard' by name, which Node resolves through package.json "exports" to dist/index.js:
// the child runs the built plugin, not its sources.
const ROOT = join(__dirname, '..', '..')
const SERVER = join(__dirname, '..', 'examples', 'server.js')
const SECRET = 'production-test-' + randomBytes(24).toString('hex')

const START_TIMEOUT_MS = 15_000
const STOP_TIMEOUT_MS = 5_000
const FETCH_TIMEOUT_MS = 5_000

interface LogLine {
  level: number
  msg?: string
  reqId?: string
  req?: { url?: string }
  jwtGuard?: { kind?: unknown, code?: unknown }
  [key: string]: unknown
}

interface Running {
  child: ChildProcess
  url: string
  stdout: () => string
  stderr: () => string
  closed: Promise<[number | null, NodeJS.Signals | null]>
}

/** Starts the server in production mode and resolves once Fastify logs the address it listens on. */
async function startServer (): Promise<Running> {
  const child = spawn(process.execPath, [SERVER], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', PORT: '0', JWT_SECRET: SECRET },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  const closed = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>
  const running = { child, url: '', stdout: () => stdout, stderr: () => stderr, closed }

  try {
    running.url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "Server listening" log line within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS)
      const onData = (): void => {
        let listening: LogLine | undefined
        try {
          listening = parseLog(stdout).find((line) => line.msg?.startsWith('Server listening at '))
        } catch (error) {
          reject(error)
        }
        if (listening === undefined) return
        clearTimeout(timer)
        child.stdout!.off('data', onData)
        resolve(listening.msg!.slice('Server listening at '.length))
      }
      child.stdout!.on('data', onData)
      closed.then(([code, signal]) => {
        clearTimeout(timer)
        reject(new Error(`the server exited before listening (code ${code}, signal ${signal}):\n${stdout}\n${stderr}`))
      }, reject)
    })
  } catch (error) {
    await stopServer(running)
    throw error
  }
  return running
}

/** SIGTERM, then SIGKILL if it does not exit in time; resolves once its output is fully read. */
async function stopServer (running: Running): Promise<[number | null, NodeJS.Signals | null]> {
  const { child, closed } = running
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<'late'>((resolve) => { timer = setTimeout(resolve, STOP_TIMEOUT_MS, 'late') })
  const first = await Promise.race([closed, late])
  clearTimeout(timer)
  if (first !== 'late') return first
  child.kill('SIGKILL')
  return closed
}

/** The complete JSON lines of the output; a line that is not JSON fails the test. */
function parseLog (output: string): LogLine[] {
  const records: LogLine[] = []
  for (const line of output.split('\n').slice(0, -1)) {
    if (line === '') continue
    try {
      records.push(JSON.parse(line) as LogLine)
    } catch {
      assert.fail(`stdout is not one JSON record a line: ${line}`)
    }
  }
  return records
}

function hasKey (value: unknown, key: string): boolean {
  if (typeof value !== 'object' || value === null) return false
  return Object.keys(value).some((k) => k === key || hasKey((value as Record<string, unknown>)[k], key))
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000)
const sign = createSigner({ key: SECRET, expiresIn: 10 * 60_000 })

const tokens = {
  valid: sign({ sub: 'alice' }),
  expired: createSigner({ key: SECRET })({ sub: 'alice', iat: nowSeconds() - 120, exp: nowSeconds() - 60 }),
  badSignature: createSigner({ key: 'not-the-server-secret-' + randomBytes(16).toString('hex') })({ sub: 'alice' }),
  algNone: createSigner({ algorithm: 'none' })({ sub: 'alice' }),
  notYetValid: createSigner({ key: SECRET, notBefore: 10 * 60_000, expiresIn: 20 * 60_000 })({ sub: 'alice' })
}

interface Rejection { url: string, kind: string, code: string }

describe('the example server, run from the build with NODE_ENV=production', { timeout: 60_000 }, () => {
  let server: Running | undefined
  const rejections: Rejection[] = []
  const accepted: string[] = []
  /** The secret and every token the server saw: none of it may reach its output. */
  const secrets: string[] = [SECRET, ...Object.values(tokens)]

  before(async () => {
    assert.ok(existsSync(SERVER), `${SERVER} is missing: compile with tsc -p tsconfig.test.json`)
    assert.ok(existsSync(join(ROOT, 'dist', 'index.js')), 'dist/index.js is missing: run npm run build')
    assert.equal(require.resolve('fastify-jwt-guard', { paths: [join(__dirname, '..', 'examples')] }),
      join(ROOT, 'dist', 'index.js'), 'the example resolves the plugin to dist/')
    server = await startServer()
  })

  after(async () => {
    if (server !== undefined) await stopServer(server)
  })

  async function get (path: string, name: string, authorization?: string): Promise<{ url: string, response: Response, body: Record<string, unknown> }> {
    const url = `${path}?case=${name}`
    const headers: Record<string, string> = authorization === undefined ? {} : { authorization }
    const response = await fetch(server!.url + url, { headers, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) })
    return { url, response, body: await response.json() as Record<string, unknown> }
  }

  /** Sends the request to the hook route and the verifyJwt() route, and checks the same rejection on both. */
  async function expectRejected (name: string, authorization: string | undefined, expected: {
    status: 400 | 401, kind: string, code: string, challenge: string | RegExp
  }): Promise<void> {
    for (const path of ['/me', '/inline']) {
      const { url, response, body } = await get(path, name, authorization)
      assert.equal(response.status, expected.status, `${url}: status`)
      const challenge = response.headers.get('www-authenticate')
      if (typeof expected.challenge === 'string') assert.equal(challenge, expected.challenge, `${url}: www-authenticate`)
      else assert.match(challenge ?? '', expected.challenge, `${url}: www-authenticate`)
      assert.equal(body.statusCode, expected.status, `${url}: body.statusCode`)
      assert.equal(body.code, expected.code, `${url}: body.code`)
      assert.equal(typeof body.message, 'string', `${url}: body.message`)
      assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8', `${url}: content-type`)
      rejections.push({ url, kind: expected.kind, code: expected.code })
    }
  }

  test('a valid token is answered 200 on the hook route and the verifyJwt() route', { timeout: 10_000 }, async () => {
    const me = await get('/me', 'valid', `Bearer ${tokens.valid}`)
    assert.equal(me.response.status, 200)
    assert.equal(me.body.sub, 'alice')
    const inline = await get('/inline', 'valid', `Bearer ${tokens.valid}`)
    assert.equal(inline.response.status, 200)
    assert.deepEqual(inline.body, { sub: 'alice' })
    accepted.push(me.url, inline.url)
  })

  test('a token from POST /login is accepted', { timeout: 10_000 }, async () => {
    const response = await fetch(server!.url + '/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice', password: 'wonderland' }),
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS)
    })
    assert.equal(response.status, 200)
    const { token } = await response.json() as { token: string }
    secrets.push(token)
    const me = await get('/me', 'login', `Bearer ${token}`)
    assert.equal(me.response.status, 200)
    assert.equal(me.body.sub, 'alice')
    accepted.push(me.url)
  })

  test('no Authorization header is 401 with the bare challenge', { timeout: 10_000 }, () =>
    expectRejected('missing', undefined, {
      status: 401, kind: 'missing', code: 'FST_JWT_GUARD_NO_TOKEN', challenge: 'Bearer realm="api"'
    }))

  test('an expired token is 401 invalid_token with a description that says it expired', { timeout: 10_000 }, () =>
    expectRejected('expired', `Bearer ${tokens.expired}`, {
      status: 401,
      kind: 'expired',
      code: 'FST_JWT_GUARD_TOKEN_EXPIRED',
      challenge: /^Bearer realm="api", error="invalid_token", error_description="[^"]*expired[^"]*"$/
    }))

  test('a token signed with another secret is 401 invalid_token', { timeout: 10_000 }, () =>
    expectRejected('bad-signature', `Bearer ${tokens.badSignature}`, {
      status: 401,
      kind: 'signature',
      code: 'FST_JWT_GUARD_TOKEN_SIGNATURE_INVALID',
      challenge: /^Bearer realm="api", error="invalid_token", error_description="[^"]+"$/
    }))

  test('"Bearer a b" is 400 invalid_request', { timeout: 10_000 }, () =>
    expectRejected('two-words', 'Bearer a b', {
      status: 400,
      kind: 'bad_request',
      code: 'FST_JWT_GUARD_BAD_REQUEST',
      challenge: /^Bearer realm="api", error="invalid_request", error_description="[^"]+"$/
    }))

  test('an unsigned alg "none" token is 401 invalid_token', { timeout: 10_000 }, () =>
    expectRejected('alg-none', `Bearer ${tokens.algNone}`, {
      status: 401,
      kind: 'signature',
      code: 'FST_JWT_GUARD_TOKEN_SIGNATURE_INVALID',
      challenge: /^Bearer realm="api", error="invalid_token", error_description="[^"]+"$/
    }))

  test('a token whose nbf is in the future is 401 invalid_token', { timeout: 10_000 }, () =>
    expectRejected('not-yet-valid', `Bearer ${tokens.notYetValid}`, {
      status: 401,
      kind: 'inactive',
      code: 'FST_JWT_GUARD_TOKEN_INACTIVE',
      challenge: /^Bearer realm="api", error="invalid_token", error_description="[^"]+"$/
    }))

  test('after shutdown, the log holds one info line per rejection and no token, error or stack', { timeout: 15_000 }, async () => {
    assert.ok(server !== undefined)
    const [code, signal] = await stopServer(server)
    assert.equal(signal, null, 'the server exits by itself on SIGTERM')
    assert.equal(code, 0, 'the server closes cleanly on SIGTERM')

    const stdout = server.stdout()
    const output = stdout + server.stderr()
    const log = parseLog(stdout)
    assert.ok(log.length > 0, 'the server logged')

    // The curl help on stderr shows the demo password; the log must not.
    assert.ok(!stdout.includes('wonderland'), 'the log does not contain the password')
    for (const secret of secrets) {
      const signature = secret.split('.')[2] ?? ''
      for (const fragment of [secret, signature, signature.slice(0, 8)]) {
        if (fragment === '') continue
        assert.ok(!output.includes(fragment), `the output contains a token or a part of one: ${fragment.slice(0, 8)}…`)
      }
    }

    for (const line of log) {
      assert.ok(line.level < 50, `no line at error level or above: ${JSON.stringify(line)}`)
      assert.ok(!hasKey(line, 'stack'), `no line carries a stack: ${JSON.stringify(line)}`)
    }
    assert.ok(!/\n\s+at .+:\d+:\d+\)?\n/.test(output), 'no stack trace in the output')

    const reqIdOf = (url: string): string => {
      const incoming = log.filter((line) => line.msg === 'incoming request' && line.req?.url === url)
      assert.equal(incoming.length, 1, `one incoming request logged for ${url}`)
      return incoming[0].reqId!
    }
    const rejectedLines = log.filter((line) => line.msg === 'jwt-guard: request rejected')

    assert.equal(rejections.length, 12, 'every rejection case ran on both routes')
    for (const { url, kind, code } of rejections) {
      const reqId = reqIdOf(url)
      const lines = rejectedLines.filter((line) => line.reqId === reqId)
      assert.equal(lines.length, 1, `one rejection line for ${url}`)
      assert.equal(lines[0].level, 30, `${url}: logged at info`)
      assert.deepEqual(lines[0].jwtGuard, { kind, code }, `${url}: jwtGuard`)
    }
    for (const url of accepted) {
      const reqId = reqIdOf(url)
      assert.equal(rejectedLines.filter((line) => line.reqId === reqId).length, 0, `no rejection line for ${url}`)
    }
    assert.equal(rejectedLines.length, rejections.length, 'no rejection line without a rejected request')
  })
})
