import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyError } from 'fastify'
import { Writable } from 'node:stream'
import jwtGuard from '../../lib/index.js'
import { DEPENDENCY_SECRET_DETAIL } from './contract-rows.js'
import { AUDIENCE, ISSUER, SECRET } from './tokens.js'

export type HandlerSetup = 'none' | 'masking-before' | 'masking-after' | 'masking-in-child' | 'no-status' | 'throws'
export const HANDLER_SETUPS: HandlerSetup[] = ['none', 'masking-before', 'masking-after', 'masking-in-child', 'no-status', 'throws']

/** The production error handler that hides details: the reason the guard exists. */
export function maskingHandler (error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  if (process.env.NODE_ENV === 'production') {
    reply.code(500).send({ statusCode: 500, error: 'Internal Server Error', message: 'Something went wrong' })
    return
  }
  reply.send(error)
}

function noStatusHandler (_error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  reply.send({ ok: false })
}

function throwingHandler (): never {
  throw new Error('the app handler exploded')
}

const APP_HANDLERS = { 'masking-before': maskingHandler, 'masking-after': maskingHandler, 'masking-in-child': maskingHandler, 'no-status': noStatusHandler, throws: throwingHandler } as const

export interface LogLine { level: number, msg: string, [key: string]: unknown }

export interface ContractAppOptions {
  setup: HandlerSetup
  /** How routes are guarded: app.authenticate in this hook, or `global: true` with no hook named. */
  hook: 'onRequest' | 'preHandler' | 'global'
  logger: boolean
  allowErrorHandlerOverride?: boolean
}

/** The scope the contract's scoped routes require, and the claim of an admin. */
export const CONTRACT_SCOPE = 'orders:write'
export const ADMIN_ROLE = 'admin'

/** The guard options every contract app uses: each failure row has a trigger in them. */
export function contractGuardOptions () {
  return {
    secret (_request: unknown, decoded: { kms?: string }, callback: (error: Error | null, key?: string) => void) {
      if (decoded.kms === 'throw') throw new Error(DEPENDENCY_SECRET_DETAIL)
      if (decoded.kms === 'callback') return callback(new Error(DEPENDENCY_SECRET_DETAIL))
      if (decoded.kms === 'reject') return Promise.reject(new Error(DEPENDENCY_SECRET_DETAIL))
      return Promise.resolve(SECRET)
    },
    verify: {
      algorithms: ['HS256' as const],
      allowedAud: AUDIENCE,
      allowedIss: ISSUER,
      allowedSub: { test: (sub: string) => { if (sub === 'explode') throw new TypeError('a matcher bug'); return true } },
      checkTyp: 'JWT',
      maxAge: 3600
    },
    trusted (_request: unknown, payload: { jti?: string }) {
      if (payload.jti === 'trusted-throws') throw new Error(DEPENDENCY_SECRET_DETAIL)
      if (payload.jti === 'trusted-rejects') return Promise.reject(new Error(DEPENDENCY_SECRET_DETAIL))
      return payload.jti !== 'revoked'
    },
    formatUser (payload: { sub: string }) {
      if (payload.sub === 'format-throws') throw new Error(DEPENDENCY_SECRET_DETAIL)
      return { id: payload.sub }
    }
  }
}

/** Builds the contract app: `/hook` guarded by app.authenticate, `/inline` calling request.verifyJwt(). */
export async function buildContractApp (options: ContractAppOptions): Promise<{ app: FastifyInstance, logs: LogLine[] }> {
  const logs: LogLine[] = []
  const stream = new Writable({
    write (chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line !== '') logs.push(JSON.parse(line))
      done()
    }
  })
  const app = Fastify({
    logger: options.logger ? { level: 'info', stream } : false,
    allowErrorHandlerOverride: options.allowErrorHandlerOverride ?? false
  })
  const handler = options.setup === 'none' ? null : APP_HANDLERS[options.setup]
  if (handler !== null && options.setup !== 'masking-after' && options.setup !== 'masking-in-child') app.setErrorHandler(handler)
  const global = options.hook === 'global'
  await app.register(jwtGuard, { ...contractGuardOptions(), global } as never)
  if (options.setup === 'masking-after') app.setErrorHandler(maskingHandler)

  const isAdmin = (claims: { role?: string }) => claims.role === ADMIN_ROLE
  const routes = async (scope: FastifyInstance): Promise<void> => {
    if (options.setup === 'masking-in-child') scope.setErrorHandler(maskingHandler)
    // In global mode the hook is the guard's own; the inline routes opt out so that verifyJwt() answers.
    const hook = global ? {} : { [options.hook]: scope.authenticate }
    const inline = global ? { config: { jwt: false } } : {}
    scope.get('/hook', hook, async (request) => ({ user: request.user }))
    scope.get('/inline', inline, async (request) => ({ claims: await request.verifyJwt() }))
    scope.get('/boom', async () => { throw new Error('an app error') })
    scope.get('/scoped', { ...hook, config: { jwt: { scopes: [CONTRACT_SCOPE] } } }, async (request) => ({ user: request.user }))
    scope.get('/scoped-inline', inline, async (request) => ({ claims: await request.verifyJwt({ scopes: [CONTRACT_SCOPE] }) }))
    scope.get('/admin', { ...hook, config: { jwt: { allow: isAdmin } } }, async (request) => ({ user: request.user }))
    scope.get('/admin-inline', inline, async (request) => ({ claims: await request.verifyJwt({ allow: isAdmin }) }))
    scope.get('/optional', { ...hook, config: { jwt: { optional: true } } }, async (request) => ({ user: request.user }))
    scope.get('/optional-inline', inline, async (request) => ({ claims: await request.verifyJwt({ optional: true }) }))
    scope.get('/public', { ...hook, config: { jwt: false } }, async (request) => ({ user: request.user }))
  }
  if (options.setup === 'masking-in-child') await app.register(routes)
  else await routes(app)
  await app.ready()
  return { app, logs }
}
