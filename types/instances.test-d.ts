// The hook keeps the generics of the instance it came from: it fits the routes of an HTTP/2
// server, an HTTPS server, an instance with a custom logger and one with a type provider, and
// leaves the types a route infers from its schema as they are.
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyTypeProvider,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerBase
} from 'fastify'
import type { Http2SecureServer, Http2Server, Http2ServerRequest, Http2ServerResponse } from 'node:http2'
import type { Server as HttpsServer } from 'node:https'
import jwtGuard, { type AuthenticateHook } from 'fastify-jwt-guard'
import '@fastify/auth'

function expectType<T> (_value: T): void {}

/** Registers the guard and protects routes every way an app can. */
function protect<
  S extends RawServerBase,
  Q extends RawRequestDefaultExpression<S>,
  P extends RawReplyDefaultExpression<S>,
  L extends FastifyBaseLogger,
  T extends FastifyTypeProvider
> (app: FastifyInstance<S, Q, P, L, T>): void {
  app.register(jwtGuard, { secret: 'x' })
  app.get('/a', { onRequest: app.authenticate }, async () => 'ok')
  app.get('/b', { preHandler: app.authenticate }, async () => 'ok')
  app.get('/c', { onRequest: [app.authenticate], preHandler: [app.authenticate] }, async () => 'ok')
  app.route({ method: 'GET', url: '/d', onRequest: app.authenticate, handler: async () => 'ok' })
  app.addHook('onRequest', app.authenticate)
  app.addHook('preHandler', app.authenticate)
  app.get('/e', { preHandler: app.auth([app.authenticateStrategy]) }, async () => 'ok')
  app.get('/f', async (request) => {
    const claims = await request.verifyJwt()
    return claims
  })
}

const http1 = Fastify()
protect(http1)
http1.get('/g', { onRequest: http1.authenticate }, async () => 'ok')

const http2 = Fastify({ http2: true })
expectType<Http2Server>(http2.server)
expectType<AuthenticateHook<Http2Server, Http2ServerRequest, Http2ServerResponse>>(http2.authenticate)
protect(http2)
http2.register(jwtGuard, { secret: 'x' })
http2.get('/g', { onRequest: http2.authenticate }, async () => 'ok')
http2.get('/h', { preHandler: [http2.authenticate] }, async () => 'ok')
http2.addHook('onRequest', http2.authenticate)
// @ts-expect-error the hook of an HTTP/1 instance does not take HTTP/2 requests
http2.get('/i', { onRequest: http1.authenticate }, async () => 'ok')

const secure = Fastify({ http2: true, https: { key: 'k', cert: 'c' } })
expectType<Http2SecureServer>(secure.server)
protect(secure)
secure.get('/g', { onRequest: secure.authenticate, preHandler: [secure.authenticate] }, async () => 'ok')

const https = Fastify({ https: { key: 'k', cert: 'c' } })
expectType<HttpsServer>(https.server)
protect(https)
https.get('/g', { onRequest: https.authenticate }, async () => 'ok')

interface AuditLogger extends FastifyBaseLogger {
  audit (message: string): void
}
declare const auditLogger: AuditLogger
const logged = Fastify({ loggerInstance: auditLogger })
expectType<AuditLogger>(logged.log)
protect(logged)
logged.register(jwtGuard, { secret: 'x', realm: 'audit' })
logged.get('/g', { onRequest: logged.authenticate }, async (request) => {
  request.log.audit('authenticated')
  return 'ok'
})
logged.get('/h', { preHandler: [logged.authenticate] }, async () => 'ok')
logged.addHook('preHandler', logged.authenticate)

/** A minimal type provider: a schema `{ example: T }` validates to a `T`. */
interface ExampleProvider extends FastifyTypeProvider {
  validator: this['schema'] extends { example: infer T } ? T : unknown
  serializer: this['schema'] extends { example: infer T } ? T : unknown
}
const typed = Fastify().withTypeProvider<ExampleProvider>()
protect(typed)
typed.get('/g', { onRequest: typed.authenticate, preHandler: [typed.authenticate] }, async () => 'ok')
typed.get('/s', { schema: { querystring: { example: { page: 1 } } }, onRequest: typed.authenticate, preHandler: [typed.authenticate] }, async (request) => {
  // The hook leaves the route's schema-inferred types alone.
  expectType<number>(request.query.page)
  // @ts-expect-error page is a number
  expectType<string>(request.query.page)
  return request.query.page
})
typed.route({
  method: 'POST',
  url: '/t',
  schema: { body: { example: { name: 'n' } } },
  onRequest: [typed.authenticate],
  preHandler: typed.authenticate,
  handler: async (request) => request.body.name
})

const http2Logged = Fastify({ http2: true, loggerInstance: auditLogger })
protect(http2Logged)
http2Logged.get('/g', { onRequest: [http2Logged.authenticate] }, async () => 'ok')
