import type { FastifyError, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import { jwtFailureKind } from './classify.js'
import type { Renderer } from './reply.js'

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
        renderer.send(request, reply, kind === 'unavailable' ? { kind, cause: (error as { cause?: unknown }).cause ?? error } : { kind })
        return
      }
      if (own !== undefined) return own.call(this, error, request, reply)
      throw error
    }
  }
}
