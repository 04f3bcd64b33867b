import type {
  ContextConfigDefault,
  FastifyBaseLogger,
  FastifyError,
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
  FastifySchema,
  FastifyTypeProvider,
  FastifyTypeProviderDefault,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerBase,
  RawServerDefault,
  RouteGenericInterface
} from 'fastify'
import type { FastifyJWTOptions, FastifyJWT } from '@fastify/jwt'

/** The claims of a verified token, typed by @fastify/jwt's `FastifyJWT['payload']` when the app declares it. */
type GuardPayload = FastifyJWT extends { payload: infer T } ? T : Record<string, unknown>

declare module 'fastify' {
  interface FastifyInstance<
    RawServer extends RawServerBase = RawServerDefault,
    RawRequest extends RawRequestDefaultExpression<RawServer> = RawRequestDefaultExpression<RawServer>,
    RawReply extends RawReplyDefaultExpression<RawServer> = RawReplyDefaultExpression<RawServer>,
    Logger extends FastifyBaseLogger = FastifyBaseLogger,
    TypeProvider extends FastifyTypeProvider = FastifyTypeProviderDefault
  > {
    /**
     * Hook for `onRequest` or `preHandler` that requires a valid bearer token.
     * On success it sets `request.user`; on failure it sends the RFC 6750 reply itself
     * (401, 400 or 503), so no error handler of the app can turn it into a 500 or a 200.
     */
    authenticate: fastifyJwtGuard.AuthenticateHook<RawServer, RawRequest, RawReply, Logger, TypeProvider>
    /**
     * The same check as `authenticate`, as a strategy for @fastify/auth: it rejects with a
     * `JwtGuardError` instead of replying, so `fastify.auth([a, b])` can combine it.
     */
    authenticateStrategy: fastifyJwtGuard.AuthenticateStrategy
  }

  interface FastifyRequest {
    /**
     * Verifies the request's bearer token and resolves to its claims; sets `request.user`.
     * Rejects with a `JwtGuardError` that carries `statusCode` and the `WWW-Authenticate` header.
     * With `optional: true` it resolves to `null` when the request carries no credentials (a bad
     * token still rejects). Only these options apply, not the route's `config.jwt`.
     */
    verifyJwt<T = GuardPayload>(options: fastifyJwtGuard.OptionalJwtPolicy): Promise<T | null>
    verifyJwt<T = GuardPayload>(options?: fastifyJwtGuard.RequiredJwtPolicy): Promise<T>
    verifyJwt<T = GuardPayload>(options: fastifyJwtGuard.JwtPolicy): Promise<T | null>
  }

  interface FastifyContextConfig {
    /**
     * The route's token policy: `false` makes it public; `true` or an object requires a valid token,
     * `optional` lets requests without credentials through with `request.user === null`, `scopes` /
     * `anyScope` / `allow` answer 403 when the token does not grant them. Checked at start-up.
     */
    jwt?: fastifyJwtGuard.RoutePolicy
  }
}

declare namespace fastifyJwtGuard {
  /** What went wrong, one word per row of the reply contract. */
  export type FailureKind =
    | 'missing'
    | 'bad_request'
    | 'expired'
    | 'inactive'
    | 'malformed'
    | 'signature'
    | 'claims'
    | 'untrusted'
    | 'invalid'
    | 'insufficient_scope'
    | 'forbidden'
    | 'unavailable'

  /** The stable `code` of every reply body and every `JwtGuardError`. */
  export type JwtGuardErrorCode =
    | 'FST_JWT_GUARD_NO_TOKEN'
    | 'FST_JWT_GUARD_BAD_REQUEST'
    | 'FST_JWT_GUARD_TOKEN_EXPIRED'
    | 'FST_JWT_GUARD_TOKEN_INACTIVE'
    | 'FST_JWT_GUARD_TOKEN_MALFORMED'
    | 'FST_JWT_GUARD_TOKEN_SIGNATURE_INVALID'
    | 'FST_JWT_GUARD_TOKEN_CLAIMS_INVALID'
    | 'FST_JWT_GUARD_TOKEN_UNTRUSTED'
    | 'FST_JWT_GUARD_TOKEN_INVALID'
    | 'FST_JWT_GUARD_INSUFFICIENT_SCOPE'
    | 'FST_JWT_GUARD_FORBIDDEN'
    | 'FST_JWT_GUARD_UNAVAILABLE'

  /** The error that `request.verifyJwt()` and `authenticateStrategy` reject with. */
  export interface JwtGuardError extends FastifyError {
    code: JwtGuardErrorCode
    statusCode: 400 | 401 | 403 | 503
    kind: FailureKind
    /** `www-authenticate` for 4xx, `retry-after` for 503: Fastify's default error handler sends them. */
    headers: Record<string, string>
    /** For `insufficient_scope`: the scopes the route requires, as named in the challenge. */
    requiredScopes?: readonly string[]
  }

  /**
   * A predicate over the verified token's payload (also with `verify.complete`): only `true` (or a
   * promise of `true`) allows; anything else is a 403.
   */
  export type AllowPredicate = (claims: GuardPayload, request: FastifyRequest) => boolean | Promise<boolean>

  /** A policy that requires a valid token, with optional scope and predicate checks. */
  export interface RequiredJwtPolicy {
    optional?: false
    /**
     * Every one of these scopes is required (read from `scope`, `scp` or `permissions`, see `scopeClaim`).
     * A non-empty list of RFC 6749 scope tokens (no spaces or quotes): checked at start-up.
     */
    scopes?: readonly string[]
    /** At least one of these scopes is required. A non-empty list, as `scopes`. */
    anyScope?: readonly string[]
    /** Any other rule over the payload: 403 unless it returns `true`. A throw is the app's own error, never a pass. */
    allow?: AllowPredicate
  }

  /**
   * No credentials: go on with `request.user === null`; bad credentials are refused as anywhere.
   * Checks of the token cannot be combined with it: a request without a token would skip them.
   */
  export interface OptionalJwtPolicy {
    optional: true
    scopes?: never
    anyScope?: never
    allow?: never
  }

  /** What a route (`config.jwt`) or a `verifyJwt()` call asks of the token. */
  export type JwtPolicy = RequiredJwtPolicy | OptionalJwtPolicy

  /** A route's `config.jwt`: `false` public, `true` a valid token, or a policy. */
  export type RoutePolicy = boolean | JwtPolicy

  interface FailureShape<K extends FailureKind, S extends number, C extends JwtGuardErrorCode> {
    readonly kind: K
    readonly status: S
    readonly code: C
    /** The body message of this kind (the guard's default or the app's `messages`). */
    readonly message: string
    /** The `WWW-Authenticate` value the reply carries. */
    readonly challenge: string
  }

  /** What `onFailure` receives: one member per kind, told apart by `kind`. */
  export type JwtFailure =
    | FailureShape<'missing', 401, 'FST_JWT_GUARD_NO_TOKEN'>
    | FailureShape<'bad_request', 400, 'FST_JWT_GUARD_BAD_REQUEST'>
    | FailureShape<'expired', 401, 'FST_JWT_GUARD_TOKEN_EXPIRED'>
    | FailureShape<'inactive', 401, 'FST_JWT_GUARD_TOKEN_INACTIVE'>
    | FailureShape<'malformed', 401, 'FST_JWT_GUARD_TOKEN_MALFORMED'>
    | FailureShape<'signature', 401, 'FST_JWT_GUARD_TOKEN_SIGNATURE_INVALID'>
    | FailureShape<'claims', 401, 'FST_JWT_GUARD_TOKEN_CLAIMS_INVALID'>
    | FailureShape<'untrusted', 401, 'FST_JWT_GUARD_TOKEN_UNTRUSTED'>
    | FailureShape<'invalid', 401, 'FST_JWT_GUARD_TOKEN_INVALID'>
    | (FailureShape<'insufficient_scope', 403, 'FST_JWT_GUARD_INSUFFICIENT_SCOPE'> & {
      /** The scopes the route requires, as named in the challenge's `scope`. */
      readonly requiredScopes: readonly string[]
    })
    | FailureShape<'forbidden', 403, 'FST_JWT_GUARD_FORBIDDEN'>
    | (Omit<FailureShape<'unavailable', 503, 'FST_JWT_GUARD_UNAVAILABLE'>, 'challenge'> & {
      /** A 503 carries no challenge. */
      readonly challenge: null
      /** The `Retry-After` seconds the reply carries. */
      readonly retryAfter: number
    })

  /**
   * Shapes the reply of a failure. The status and `WWW-Authenticate` are set before it runs and stay
   * unless it changes them. What it returns (a string, a Buffer or a JSON value) is the body; nothing
   * (or the reply, unsent) means the default body; if it sends itself, that reply stands; if it throws,
   * rejects or has not settled after 5 seconds, the default reply goes out.
   */
  export type OnFailure = (failure: JwtFailure, request: FastifyRequest, reply: FastifyReply) => unknown

  /** Which entry point of the guard saw the failure. */
  export type FailureSource = 'hook' | 'strategy' | 'verifyJwt' | 'jwtVerify' | 'errorHandler'

  /** The message published on `failureChannel` for every failure. It never carries the token. */
  export interface FailureEvent {
    kind: FailureKind
    code: JwtGuardErrorCode
    status: 400 | 401 | 403 | 503
    method: string
    /** The route's URL pattern (`/orders/:id`), or null for the not-found handler. */
    route: string | null
    requestId: string
    source: FailureSource
  }

  /** Thrown at `ready()` for a bad registration option. */
  export interface JwtGuardOptionError extends FastifyError {
    code: 'FST_JWT_GUARD_INVALID_OPTION'
  }

  /** The guard's own options; every other key is passed to @fastify/jwt unchanged. */
  export interface JwtGuardOwnOptions {
    /** The `realm` of the `WWW-Authenticate` challenge. Default `'api'`. */
    realm?: string
    /** Render token errors that reach the error handler by the reply contract. Default `true`. */
    errorHandler?: boolean
    /** Every route of the scope requires a valid token unless its `config.jwt` opts out. Default `false`. */
    global?: boolean
    /** The claim (or claims) holding the token's scopes. Default `['scope', 'scp', 'permissions']`. */
    scopeClaim?: string | readonly string[]
    /** Shapes failure replies; see `OnFailure`. */
    onFailure?: OnFailure
    /** RFC 9457 `application/problem+json` bodies. Default `false`. */
    problemDetails?: boolean
    /** The body message of each failure kind; @fastify/jwt's message keys work too. */
    messages?: Partial<Record<FailureKind, string>>
  }

  /** Registration options: @fastify/jwt's, plus the guard's own. `secret` may be omitted only when @fastify/jwt is already registered. */
  export type JwtGuardOptions = Partial<FastifyJWTOptions> & JwtGuardOwnOptions

  /**
   * A hook that fits `onRequest` and `preHandler` of any route of the instance it came from.
   * Generic in the route's types, so that it takes each route's own request and reply and leaves
   * what the route infers from its schema (through a type provider) as it is.
   */
  export interface AuthenticateHook<
    RawServer extends RawServerBase = RawServerDefault,
    RawRequest extends RawRequestDefaultExpression<RawServer> = RawRequestDefaultExpression<RawServer>,
    RawReply extends RawReplyDefaultExpression<RawServer> = RawReplyDefaultExpression<RawServer>,
    Logger extends FastifyBaseLogger = FastifyBaseLogger,
    TypeProvider extends FastifyTypeProvider = FastifyTypeProviderDefault
  > {
    <
      RouteGeneric extends RouteGenericInterface = RouteGenericInterface,
      ContextConfig = ContextConfigDefault,
      SchemaCompiler extends FastifySchema = FastifySchema
    >(
      request: FastifyRequest<RouteGeneric, RawServer, RawRequest, SchemaCompiler, TypeProvider, ContextConfig, Logger>,
      reply: FastifyReply<RouteGeneric, RawServer, RawRequest, RawReply, ContextConfig, SchemaCompiler, TypeProvider>
    ): Promise<void>
  }

  export interface AuthenticateStrategy {
    (request: FastifyRequest<any, any>, reply: FastifyReply<any, any>): Promise<void>
  }

  export const errorCodes: Readonly<Record<FailureKind, JwtGuardErrorCode>>

  /** The `node:diagnostics_channel` name on which every failure is published as a `FailureEvent`. */
  export const failureChannel: 'fastify-jwt-guard:failure'

  /** True for a `JwtGuardError` of any kind. */
  export function isJwtGuardError (error: unknown): error is JwtGuardError

  export const jwtGuard: FastifyPluginAsync<JwtGuardOptions>
  /** The same plugin under the name fastify-plugin gives it. */
  export const fastifyJwtGuard: FastifyPluginAsync<JwtGuardOptions>
  export { jwtGuard as default }
}

declare function fastifyJwtGuard (...params: Parameters<FastifyPluginAsync<fastifyJwtGuard.JwtGuardOptions>>): ReturnType<FastifyPluginAsync<fastifyJwtGuard.JwtGuardOptions>>

export = fastifyJwtGuard
