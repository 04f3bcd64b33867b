import { buildApp, demoAdmin, demoUser } from './app.js'

// For the demo only: anyone who reads this file can sign tokens for an app that uses it.
const DEMO_SECRET = 'fastify-jwt-guard demo secret: set JWT_SECRET to your own'

function portFromEnv (value: string | undefined): number {
  if (value === undefined || value === '') return 3000
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be an integer from 0 to 65535, got ${JSON.stringify(value)}`)
  }
  return port
}

/** The curl commands that show each answer of the guard, for the address the server listens on. */
function tryItOut (address: string, expiredToken: string | null): string {
  const login = (credentials: object, variable: string): string =>
    `  ${variable}=$(curl -s -X POST ${address}/login -H 'content-type: application/json' ` +
    `-d '${JSON.stringify(credentials)}' | node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).token')`
  return [
    'Try it:',
    '  # 200: log in, then call /me with the token',
    login(demoUser, 'TOKEN'),
    `  curl -i ${address}/me -H "authorization: Bearer $TOKEN"`,
    '  # 200 without a token (public articles only), and with one (all of them)',
    `  curl -i ${address}/articles`,
    `  curl -i ${address}/articles -H "authorization: Bearer $TOKEN"`,
    '  # 403 insufficient_scope, scope="orders:write": alice may only read orders; 403 on the admin page',
    `  curl -i -X POST ${address}/orders -H "authorization: Bearer $TOKEN"`,
    `  curl -i ${address}/admin/stats -H "authorization: Bearer $TOKEN"`,
    '  # 201 and 200 for the admin',
    login(demoAdmin, 'ADMIN'),
    `  curl -i -X POST ${address}/orders -H "authorization: Bearer $ADMIN"`,
    `  curl -i ${address}/admin/stats -H "authorization: Bearer $ADMIN"`,
    '  # 401, bare challenge: no token',
    `  curl -i ${address}/me`,
    '  # 401 invalid_token: a token that is not a JWT',
    `  curl -i ${address}/me -H 'authorization: Bearer not-a-jwt'`,
    ...(expiredToken === null
      ? []
      : ['  # 401 invalid_token, "The token has expired": signed with the demo secret, expired in 2001',
          `  curl -i ${address}/inline -H 'authorization: Bearer ${expiredToken}'`]),
    '  # 400 invalid_request: two words after Bearer',
    `  curl -i ${address}/me -H 'authorization: Bearer a b'`,
    ''
  ].join('\n')
}

async function main (): Promise<void> {
  const port = portFromEnv(process.env.PORT)
  const secret = process.env.JWT_SECRET
  if ((secret === undefined || secret === '') && process.env.NODE_ENV === 'production') {
    throw new Error('JWT_SECRET must be set when NODE_ENV is production: the demo secret is public')
  }

  const app = await buildApp({ secret: secret || DEMO_SECRET })
  const demo = secret === undefined || secret === ''
  if (demo) app.log.warn('JWT_SECRET is not set: using the embedded demo secret, which is public; never use it for real tokens')

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      app.log.info({ signal }, 'closing')
      app.close().then(() => process.exit(0), (error: unknown) => {
        app.log.error(error)
        process.exit(1)
      })
    })
  }

  const address = await app.listen({ host: '127.0.0.1', port })
  // A token signed with a real secret is never printed, not even an expired one.
  const expired = demo ? app.jwt.sign({ sub: demoUser.username, iat: 978307200, exp: 978308100 }) : null
  // stderr, so that stdout stays one JSON log record a line for log tooling.
  process.stderr.write(tryItOut(address, expired))
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
