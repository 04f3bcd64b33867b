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

/** The one account of the demo. */
export const demoUser: Readonly<Credentials> = Object.freeze({ username: 'alice', password: 'wonderland' })

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

function checkCredentials ({ username, password }: Credentials): boolean {
  // Both comparisons always run, so the reply time does not tell which one failed.
  const userMatches = sameString(username, demoUser.username)
  const passwordMatches = sameString(password, demoUser.password)
  return userMatches && passwordMatches
}

/** The example API, ready to `listen()` or `inject()`. */
export async function buildApp (options: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? true })

  await app.register(jwtGuard, { secret: options.secret })

  app.get('/health', async () => ({ status: 'ok' }))

  app.post<{ Body: Credentials }>('/login', { schema: loginSchema }, async (request, reply) => {
    if (!checkCredentials(request.body)) {
      return reply.code(401).send({
        statusCode: 401,
        code: 'INVALID_CREDENTIALS',
        error: 'Unauthorized',
        message: 'Unknown username or wrong password'
      })
    }
    const token = await reply.jwtSign({ sub: request.body.username }, { expiresIn: '15m' })
    return { token }
  })

  // onRequest, not preHandler: the body of an unauthenticated request is never parsed.
  app.get('/me', { onRequest: app.authenticate }, async (request) => request.user)

  // The same check from inside a handler: a bad token rejects, and the guard renders the reply.
  app.get('/inline', async (request) => {
    const { sub } = await request.verifyJwt<{ sub: string }>()
    return { sub }
  })

  return app
}
