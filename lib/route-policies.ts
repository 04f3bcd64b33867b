import type { FastifyInstance, RouteOptions } from 'fastify'
import { compilePolicy, routeLabel } from './policy.js'

/**
 * Checks each route's `config.jwt` as the route is added, so a typo fails at start-up with the
 * route and the option named. In global mode it also lists the routes that opted out and logs
 * them once at ready, at info: an accidentally public route shows up in every deploy's log.
 */
export function checkRoutePolicies (fastify: FastifyInstance, global: boolean): void {
  const publicRoutes: string[] = []
  fastify.addHook('onRoute', function checkRoutePolicy (routeOptions: RouteOptions) {
    const label = routeLabel(routeOptions.method, routeOptions.url)
    const policy = compilePolicy((routeOptions.config as { jwt?: unknown } | undefined)?.jwt, 'config.jwt', `of route ${label}`)
    if (global && policy.mode === 'public') publicRoutes.push(label)
  })
  if (!global) return
  fastify.addHook('onReady', async function logPublicRoutes () {
    this.log.info({ jwtGuard: { publicRoutes } }, `jwt-guard: global mode, ${publicRoutes.length} public route(s)${publicRoutes.length === 0 ? '' : ': ' + publicRoutes.join(', ')}`)
  })
}
