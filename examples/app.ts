import { createHash, timingSafeEqual } from 'node:crypto'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
// The package imports itself by name (package.json "name" + "exports"), exactly as an app would.
import jwtGuard from 'fastify-jwt-guard'

export interface BuildAppOptions {
  /** The HMAC secret that signs and verifies tokens. */
  secret: string
  /** Fastify's `logger` option. Default `true`. */
  logger?: FastifyServerOptions['logger']
}

interface Credentials {
  username: string
  password: string
}

interface Account extends Credentials {
  /** The OAuth scopes its tokens carry (space-delimited, RFC 9068). */
  scope: string
  role: 'user' | 'admin'
}

/** The demo's accounts: alice may read orders, the queen may also write them and see the admin pages. */
export const demoUser: Readonly<Credentials> = Object.freeze({ username: 'alice', password: 'wonderland' })
export const demoAdmin: Readonly<Credentials> = Object.freeze({ username: 'queen', password: 'off-with-their-heads' })
const accounts: readonly Account[] = [
  { ...demoUser, scope: 'orders:read', role: 'user' },
  { ...demoAdmin, scope: 'orders:read orders:write', role: 'admin' }
]

/** The claims of the demo's tokens (declared once for the app in a real project, see README "TypeScript"). */
interface DemoClaims {
  sub: string
  scope: string
  role: Account['role']
}

const articles = [
  { id: 1, title: 'Down the Rabbit-Hole', members: false },
  { id: 2, title: 'A Mad Tea-Party', members: true }
]

const loginSchema = {
  body: {
    type: 'object',
    required: ['username', 'password'],
    additionalProperties: false,
    properties: {
      username: { type: 'string', minLength: 1, maxLength: 128 },
      password: { type: 'string', maxLength: 1024 }
    }
  }
} as const

/** Compares two strings in constant time (hashing first makes the lengths equal). */
function sameString (a: string, b: string): boolean {
  const digest = (value: string): Buffer => createHash('sha256').update(value).digest()
  return timingSafeEqual(digest(a), digest(b))
}

function findAccount ({ username, password }: Credentials): Account | null {
  let found: Account | null = null
  for (const account of accounts) {
    // Both comparisons always run for every account, so the reply time does not tell which one failed.
    const userMatches = sameString(username, account.username)
    const passwordMatches = sameString(password, account.password)
    if (userMatches && passwordMatches) found = account
  }
  return found
}

/**
 * The example API, ready to `listen()` or `inject()`. Global mode: every route needs a valid token
 * unless its `config.jwt` says otherwise, so a route added without thinking is private, not public.
 */
export async function buildApp (options: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? true })

  await app.register(jwtGuard, { secret: options.secret, global: true })

  // Public: opted out by name, and listed in the log line the guard writes at start-up.
  app.get('/health', { config: { jwt: false } }, async () => ({ status: 'ok' }))

  app.post<{ Body: Credentials }>('/login', { schema: loginSchema, config: { jwt: false } }, async (request, reply) => {
    const account = findAccount(request.body)
    if (account === null) {
      return reply.code(401).send({
        statusCode: 401,
        code: 'INVALID_CREDENTIALS',
        error: 'Unauthorized',
        message: 'Unknown username or wrong password'
      })
    }
    const token = await reply.jwtSign({ sub: account.username, scope: account.scope, role: account.role }, { expiresIn: '15m' })
    return { token }
  })

  // Private by default: no config needed.
  app.get('/me', async (request) => request.user)

  // Optional: anonymous readers get the public articles, signed-in readers all of them. A bad token is still a 401.
  app.get('/articles', { config: { jwt: { optional: true } } }, async (request) => {
    const member = request.user !== null
    return { member, articles: articles.filter((article) => member || !article.members) }
  })

  // Scoped: a valid token without orders:write is a 403 whose challenge names the scope.
  app.post('/orders', { config: { jwt: { scopes: ['orders:write'] } } }, async (_request, reply) => {
    return reply.code(201).send({ created: true })
  })

  // Admin only: any rule over the claims; only `true` lets the request in.
  app.get('/admin/stats', { config: { jwt: { allow: (claims) => claims.role === 'admin' } } }, async () => ({ articles: articles.length }))

  // Public route that checks a token itself: verifyJwt() rejects, and the guard renders the reply.
  app.get('/inline', { config: { jwt: false } }, async (request) => {
    const { sub } = await request.verifyJwt<DemoClaims>()
    return { sub }
  })

  return app
}
