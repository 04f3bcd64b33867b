import type { FastifyError, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import type { JwtGuardError } from '../types/index.js'
import { jwtFailureKind } from './classify.js'
import { publishFailure, wasPublished } from './failure-event.js'
import type { Failure, Renderer } from './reply.js'

type ErrorHandler = (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => unknown

/**
 * An `onRoute` hook that gives each route a route-level error handler. Route-level, because a
 * scope-level `setErrorHandler` would collide with the app's own (FSTWRN004, or
 * FST_ERR_ERROR_HANDLER_ALREADY_SET under `allowErrorHandlerOverride: false`); and a route-level
 * handler runs before every scope handler, whichever order they were set in. Errors that are not
 * token errors are rethrown, which makes Fastify hand them unchanged to the scope's handler.
 */
export function createRouteErrorHandlerHook (renderer: Renderer) {
  return function installJwtErrorHandler (routeOptions: RouteOptions): void {
    const own = routeOptions.errorHandler as ErrorHandler | undefined
    routeOptions.errorHandler = function jwtGuardErrorHandler (error, request, reply) {
      const kind = jwtFailureKind(error)
      if (kind !== null) {
        const failure: Failure = kind === 'unavailable'
          ? { kind, cause: (error as { cause?: unknown }).cause ?? error }
          : { kind, scopes: (error as Partial<JwtGuardError>).requiredScopes }
        // The guard's own errors were published where they were thrown; @fastify/jwt's and fast-jwt's were not.
        if (!wasPublished(error)) publishFailure(request, failure, 'errorHandler')
        return renderer.send(request, reply, failure)
      }
      if (own !== undefined) return own.call(this, error, request, reply)
      throw error
    }
  }
}
