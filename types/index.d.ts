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
     */
    verifyJwt<T = GuardPayload>(): Promise<T>
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
    | 'FST_JWT_GUARD_UNAVAILABLE'

  /** The error that `request.verifyJwt()` and `authenticateStrategy` reject with. */
  export interface JwtGuardError extends FastifyError {
    code: JwtGuardErrorCode
    statusCode: 400 | 401 | 503
    kind: FailureKind
    /** `www-authenticate` for 4xx, `retry-after` for 503: Fastify's default error handler sends them. */
    headers: Record<string, string>
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

  /** True for a `JwtGuardError` of any kind. */
  export function isJwtGuardError (error: unknown): error is JwtGuardError

  export const jwtGuard: FastifyPluginAsync<JwtGuardOptions>
  /** The same plugin under the name fastify-plugin gives it. */
  export const fastifyJwtGuard: FastifyPluginAsync<JwtGuardOptions>
  export { jwtGuard as default }
}

declare function fastifyJwtGuard (...params: Parameters<FastifyPluginAsync<fastifyJwtGuard.JwtGuardOptions>>): ReturnType<FastifyPluginAsync<fastifyJwtGuard.JwtGuardOptions>>

export = fastifyJwtGuard
