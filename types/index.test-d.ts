// Type tests of the public surface, compiled by `tsc -p types/tsconfig.json` (noEmit).
// The FastifyJWT augmentation below is global to this compilation; the unaugmented defaults are
// checked by the TypeScript consumers of test/package.test.ts instead.
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyReply, type FastifyRequest, type RouteGenericInterface } from 'fastify'
import jwtGuard, {
  errorCodes,
  isJwtGuardError,
  jwtGuard as namedJwtGuard,
  type AuthenticateHook,
  type AuthenticateStrategy,
  type FailureKind,
  type JwtGuardError,
  type JwtGuardErrorCode,
  type JwtGuardOptionError,
  type JwtGuardOptions,
  type JwtGuardOwnOptions,
  type JwtFailure,
  type JwtPolicy,
  type RequiredJwtPolicy,
  type OptionalJwtPolicy,
  type OnFailure,
  type RoutePolicy,
  type AllowPredicate,
  type FailureEvent,
  type FailureSource,
  failureChannel
} from 'fastify-jwt-guard'
import '@fastify/auth'

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: { sub: string }
    user: { id: string }
  }
}

/** Compiles only when `value` is assignable to `T`. */
function expectType<T> (_value: T): void {}
/** Compiles only when `A` and `B` are the same type, not merely assignable. */
type Equal<A, B> = (<V>() => V extends A ? 1 : 2) extends (<V>() => V extends B ? 1 : 2) ? true : false
function expectTrue<T extends true> (_proof?: T): void {}

const app = Fastify()

// Import forms: the default export and the named export are the same plugin.
expectTrue<Equal<typeof jwtGuard, typeof namedJwtGuard>>()
expectTrue<Equal<typeof jwtGuard, FastifyPluginAsync<JwtGuardOptions>>>()
app.register(jwtGuard, { secret: 'x' })
app.register(namedJwtGuard, { secret: 'x' })
app.register(jwtGuard, { secret: 'x', realm: 'my api', errorHandler: false })
app.register(jwtGuard, { secret: { public: 'pub', private: 'priv' }, verify: { algorithms: ['RS256'], maxAge: '1h' } })
app.register(jwtGuard, { secret: 'x', formatUser: (payload) => ({ id: payload.sub }) })
app.register(jwtGuard, {})
app.register(jwtGuard, { prefix: '/v1', secret: 'x' })
app.register(jwtGuard)

// Options.
const options: JwtGuardOptions = { secret: 'x', realm: 'api', errorHandler: true }
app.register(jwtGuard, options)
expectType<JwtGuardOwnOptions>({ realm: 'api' })
expectType<string | undefined>(options.realm)
expectType<boolean | undefined>(options.errorHandler)
// @ts-expect-error realm must be a string
app.register(jwtGuard, { secret: 'x', realm: 42 })
// @ts-expect-error errorHandler must be a boolean
app.register(jwtGuard, { secret: 'x', errorHandler: 'yes' })
// @ts-expect-error realm must be a string
expectType<JwtGuardOptions>({ realm: true })
// @ts-expect-error errorHandler must be a boolean
expectType<JwtGuardOwnOptions>({ errorHandler: 1 })
// @ts-expect-error secret must be key material, not a number
expectType<JwtGuardOptions>({ secret: 42 })
// @ts-expect-error unknown option
expectType<JwtGuardOptions>({ secret: 'x', realmm: 'api' })

// Decorators on the instance.
expectType<AuthenticateHook>(app.authenticate)
expectType<AuthenticateStrategy>(app.authenticateStrategy)
expectType<Promise<void>>(app.authenticate({} as FastifyRequest, {} as FastifyReply))
expectType<Promise<void>>(app.authenticateStrategy({} as FastifyRequest, {} as FastifyReply))
// @ts-expect-error no such decorator
app.authenticat(null, null)
// @ts-expect-error no such decorator
app.verifyJwt()

// The hook fits onRequest and preHandler, alone or in an array, on routes and as a global hook.
app.get('/a', { onRequest: app.authenticate }, async () => 'ok')
app.get('/b', { preHandler: app.authenticate }, async () => 'ok')
app.get('/c', { onRequest: [app.authenticate] }, async () => 'ok')
app.get('/d', { preHandler: [app.authenticate, async () => {}] }, async () => 'ok')
app.route({ method: 'GET', url: '/e', onRequest: app.authenticate, handler: async () => 'ok' })
app.get<{ Params: { id: string } }>('/f/:id', { onRequest: app.authenticate }, async (request) => request.params.id)
app.post<{ Body: { name: string } }>('/g', { preHandler: [app.authenticate] }, async (request) => request.body.name)
app.get<RouteGenericInterface, { role: string }>('/config', { config: { role: 'admin' }, onRequest: app.authenticate }, async (request) => request.routeOptions.config.role)
app.get('/schema', { schema: { querystring: { type: 'object' } }, onRequest: app.authenticate, preHandler: [app.authenticate] }, async () => 'ok')
app.addHook('onRequest', app.authenticate)
app.addHook('preHandler', app.authenticate)
app.register(async function scoped (child) {
  child.addHook('onRequest', child.authenticate)
  child.get('/h', { onRequest: child.authenticate }, async () => 'ok')
})

// The strategy fits @fastify/auth.
app.get('/i', { preHandler: app.auth([app.authenticateStrategy]) }, async () => 'ok')
app.get('/j', { preHandler: app.auth([app.authenticateStrategy, app.authenticateStrategy], { relation: 'and' }) }, async () => 'ok')

// request.verifyJwt() and request.user, typed by the app's FastifyJWT.
app.get('/k', async function (request) {
  expectType<Promise<{ sub: string }>>(request.verifyJwt())
  const claims = await request.verifyJwt()
  expectTrue<Equal<typeof claims, { sub: string }>>()
  expectType<string>(claims.sub)
  // @ts-expect-error the payload has no such claim
  expectType<string>(claims.name)
  expectTrue<Equal<typeof request.user, { id: string }>>()
  expectType<string>(request.user.id)
  const custom = await request.verifyJwt<{ scope: string[] }>()
  expectTrue<Equal<typeof custom, { scope: string[] }>>()
  expectType<string[]>(custom.scope)
  // @ts-expect-error verifyJwt takes a policy, not @fastify/jwt's verify options
  await request.verifyJwt({ verify: {} })
  return claims.sub
})

// fastify.jwt comes with the plugin; its sign is typed by the payload.
expectType<string>(app.jwt.sign({ sub: 'u1' }))
// @ts-expect-error the payload needs sub
app.jwt.sign({ name: 'u1' })

// Errors.
const failure: unknown = new Error('x')
if (isJwtGuardError(failure)) {
  expectType<JwtGuardError>(failure)
  expectTrue<Equal<typeof failure.code, JwtGuardErrorCode>>()
  expectTrue<Equal<typeof failure.statusCode, 400 | 401 | 403 | 503>>()
  expectTrue<Equal<typeof failure.requiredScopes, readonly string[] | undefined>>()
  expectTrue<Equal<typeof failure.kind, FailureKind>>()
  expectType<Record<string, string>>(failure.headers)
  expectType<string>(failure.message)
  expectType<Error>(failure)
  // @ts-expect-error code is one of the guard's codes
  const code: 'FST_JWT_NO_AUTHORIZATION_IN_HEADER' = failure.code
  expectType<string>(code)
} else {
  // @ts-expect-error not narrowed outside the guard
  expectType<string>(failure.code)
}
expectType<(error: unknown) => boolean>(isJwtGuardError)

expectTrue<Equal<typeof errorCodes.expired, JwtGuardErrorCode>>()
expectType<JwtGuardErrorCode>(errorCodes.missing)
expectType<Readonly<Record<FailureKind, JwtGuardErrorCode>>>(errorCodes)
// @ts-expect-error errorCodes is read-only
errorCodes.expired = 'FST_JWT_GUARD_TOKEN_EXPIRED'
// @ts-expect-error no such failure kind
expectType<string>(errorCodes.revoked)
// @ts-expect-error not a guard code
const wrong: JwtGuardErrorCode = 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED'
expectType<string>(wrong)
// @ts-expect-error not a failure kind
const kind: FailureKind = 'revoked'
expectType<string>(kind)
const allKinds: Record<FailureKind, true> = {
  missing: true,
  bad_request: true,
  expired: true,
  inactive: true,
  malformed: true,
  signature: true,
  claims: true,
  untrusted: true,
  invalid: true,
  insufficient_scope: true,
  forbidden: true,
  unavailable: true
}
expectType<object>(allKinds)

async function start (): Promise<void> {
  try {
    await app.ready()
  } catch (error) {
    const optionError = error as JwtGuardOptionError
    expectTrue<Equal<typeof optionError.code, 'FST_JWT_GUARD_INVALID_OPTION'>>()
    expectType<number | undefined>(optionError.statusCode)
  }
}
expectType<Promise<void>>(start())

// The hook of a typed instance stays usable as that instance's hook.
function withInstance (instance: FastifyInstance): void {
  instance.get('/l', { onRequest: instance.authenticate }, async () => 'ok')
}
withInstance(app)

// Route policies in Fastify's own route config.
app.get('/public', { config: { jwt: false } }, async () => 'ok')
app.get('/required', { config: { jwt: true } }, async () => 'ok')
app.get('/optional', { config: { jwt: { optional: true } } }, async () => 'ok')
app.get('/scoped', { config: { jwt: { scopes: ['orders:write'], anyScope: ['a', 'b'] } } }, async () => 'ok')
app.get('/admin', {
  config: {
    jwt: {
      allow: (claims, request) => {
        expectTrue<Equal<typeof claims, { sub: string }>>()
        expectType<FastifyRequest>(request)
        return claims.sub === 'admin'
      }
    }
  }
}, async () => 'ok')
app.get('/admin-async', { config: { jwt: { allow: async (claims) => claims.sub === 'admin' } } }, async () => 'ok')
app.get('/with-hook', { onRequest: app.authenticate, config: { jwt: { scopes: ['a'] } } }, async (request) => request.routeOptions.config.jwt)
app.route({ method: 'GET', url: '/route', config: { jwt: { optional: true } }, handler: async () => 'ok' })
// Fastify infers a route's config type from the literal and intersects it with FastifyContextConfig,
// so inside a route a wrong type is caught only where the two conflict; the rest is refused at start-up.
// @ts-expect-error scopes is an array
expectType<JwtPolicy>({ scopes: 'orders:write' })
// @ts-expect-error no such policy key (a typo of scopes)
expectType<JwtPolicy>({ scope: ['a'] })
// @ts-expect-error allow returns a boolean
app.get('/bad-3', { config: { jwt: { allow: () => 'yes' } } }, async () => 'ok')
// @ts-expect-error optional is a boolean
app.get('/bad-4', { config: { jwt: { optional: 1 } } }, async () => 'ok')
// @ts-expect-error a policy is a boolean or an object
const stringPolicy: RoutePolicy = 'admin'
expectType<unknown>(stringPolicy)
expectType<RoutePolicy>(false)
expectType<RoutePolicy>({ scopes: ['a'] })
expectType<JwtPolicy>({ scopes: ['a'], anyScope: ['b'], allow: () => true })
expectType<JwtPolicy>({ optional: true })
// @ts-expect-error optional cannot be combined with checks of the token
expectType<JwtPolicy>({ optional: true, scopes: ['a'] })
// @ts-expect-error optional cannot be combined with allow
expectType<JwtPolicy>({ optional: true, allow: () => true })
expectType<AllowPredicate>(async () => false)
expectType<RequiredJwtPolicy>({ scopes: ['a'] })
expectType<OptionalJwtPolicy>({ optional: true })

// verifyJwt(options): optional makes the result nullable.
app.get('/verify-options', async function (request) {
  const maybe = await request.verifyJwt({ optional: true })
  expectType<unknown>(maybe)
  expectTrue<Equal<typeof maybe, { sub: string } | null>>()
  const scoped = await request.verifyJwt({ scopes: ['a'] })
  expectType<unknown>(scoped)
  expectTrue<Equal<typeof scoped, { sub: string }>>()
  const required = await request.verifyJwt({ optional: false })
  expectType<unknown>(required)
  expectTrue<Equal<typeof required, { sub: string }>>()
  const flag: boolean = Math.random() > 0.5
  const either = await request.verifyJwt({ optional: flag })
  expectType<unknown>(either)
  expectTrue<Equal<typeof either, { sub: string } | null>>()
  const typed = await request.verifyJwt<{ tenant: string }>({ optional: true })
  expectType<unknown>(typed)
  expectTrue<Equal<typeof typed, { tenant: string } | null>>()
  // @ts-expect-error scopes is an array
  await request.verifyJwt({ scopes: 'a' })
  // @ts-expect-error no such option
  await request.verifyJwt({ scope: ['a'] })
  return 'ok'
})

// The guard's new options.
app.register(jwtGuard, { secret: 'x', global: true, scopeClaim: 'roles', problemDetails: true })
app.register(jwtGuard, { secret: 'x', scopeClaim: ['scp', 'roles'] })
app.register(jwtGuard, { secret: 'x', messages: { expired: 'Session over', insufficient_scope: 'Ask for more', authorizationTokenInvalid: 'Bad' } })
// @ts-expect-error global is a boolean
app.register(jwtGuard, { secret: 'x', global: 'yes' })
// @ts-expect-error problemDetails is a boolean
app.register(jwtGuard, { secret: 'x', problemDetails: 1 })
// @ts-expect-error messages by kind are strings
app.register(jwtGuard, { secret: 'x', messages: { expired: 1 } })
// @ts-expect-error not a failure kind or an @fastify/jwt message key
app.register(jwtGuard, { secret: 'x', messages: { revoked: 'x' } })

// onFailure: a union told apart by kind.
const onFailure: OnFailure = (failure, request, reply) => {
  expectType<JwtFailure>(failure)
  expectType<FastifyRequest>(request)
  expectType<FastifyReply>(reply)
  expectType<string>(failure.message)
  expectType<JwtGuardErrorCode>(failure.code)
  switch (failure.kind) {
    case 'insufficient_scope':
      expectTrue<Equal<typeof failure.status, 403>>()
      expectTrue<Equal<typeof failure.code, 'FST_JWT_GUARD_INSUFFICIENT_SCOPE'>>()
      expectType<readonly string[]>(failure.requiredScopes)
      expectType<string>(failure.challenge)
      return { needed: failure.requiredScopes }
    case 'unavailable':
      expectTrue<Equal<typeof failure.status, 503>>()
      expectTrue<Equal<typeof failure.challenge, null>>()
      expectType<number>(failure.retryAfter)
      return reply.code(503).send('later')
    case 'bad_request':
      expectTrue<Equal<typeof failure.status, 400>>()
      return undefined
    case 'expired':
      expectTrue<Equal<typeof failure.code, 'FST_JWT_GUARD_TOKEN_EXPIRED'>>()
      // @ts-expect-error only insufficient_scope carries requiredScopes
      return failure.requiredScopes
    default:
      expectTrue<Equal<typeof failure.status, 401 | 403>>()
      return { error: failure.code }
  }
}
app.register(jwtGuard, { secret: 'x', onFailure })
app.register(jwtGuard, { secret: 'x', onFailure: async (failure) => ({ kind: failure.kind }) })
// @ts-expect-error onFailure is a function
app.register(jwtGuard, { secret: 'x', onFailure: { body: 'x' } })

// The failure channel.
expectTrue<Equal<typeof failureChannel, 'fastify-jwt-guard:failure'>>()
const event: FailureEvent = { kind: 'expired', code: 'FST_JWT_GUARD_TOKEN_EXPIRED', status: 401, method: 'GET', route: null, requestId: 'r', source: 'hook' }
expectType<string | null>(event.route)
expectType<FailureSource>(event.source)
// @ts-expect-error no such source
expectType<FailureSource>('middleware')
