import fastifyJwt from '@fastify/jwt'
import type { FastifyInstance } from 'fastify'
import type { JwtGuardOptions } from '../types/index.js'
import { createHooks } from './authenticate.js'
import { createAuthorizer } from './authorize.js'
import { dependencyFailureKind } from './classify.js'
import type { Guard } from './decide.js'
import { createRouteErrorHandlerHook } from './error-handler.js'
import { OptionError } from './errors.js'
import { fastifyJwtOptions } from './fastify-jwt-options.js'
import { createJwtVerify } from './jwt-verify.js'
import { takeOverJwtVerify } from './take-over-jwt-verify.js'
import { bodyMessages } from './messages.js'
import { extractConfigFromRegistered, normaliseOptions, type GuardConfig } from './options.js'
import { createDelegatingPipeline, createPipeline, type Pipeline } from './pipeline.js'
import { createRenderer } from './reply.js'
import { checkRoutePolicies } from './route-policies.js'
import { createVerifyJwt } from './verify.js'

type RegisteredJwt = { verify?: unknown, cookie?: unknown, options: { verify?: Record<string, unknown> } }

/** `verify.complete`: the claims are `{ header, payload, signature }`. */
function verifiesComplete (fastify: FastifyInstance, config: GuardConfig): boolean {
  const verify = config.pipeline === null ? (fastify.jwt as unknown as RegisteredJwt).options.verify : config.pipeline.verifyOptions
  return verify?.complete === true
}

function buildPipeline (fastify: FastifyInstance, config: GuardConfig): Pipeline {
  if (config.pipeline === null) {
    return createDelegatingPipeline(extractConfigFromRegistered(fastify.jwt as unknown as RegisteredJwt), verifiesComplete(fastify, config))
  }
  try {
    return createPipeline(config.extract, config.pipeline)
  } catch (error) {
    throw new OptionError(`"secret" or "verify" options cannot verify tokens: ${(error as Error).message}`, { cause: error })
  }
}

/** A cookie the guard must read needs @fastify/cookie, which may be registered after the guard. */
function checkCookieSupport (fastify: FastifyInstance, config: GuardConfig): void {
  const cookie = config.extract.cookie
  if (cookie === null) return
  fastify.addHook('onReady', async function checkCookiePlugin () {
    if (!this.hasRequestDecorator('cookies')) throw new OptionError('"cookie" option needs @fastify/cookie registered')
    if (cookie.signed && !this.hasRequestDecorator('unsignCookie')) throw new OptionError('"cookie.signed" option needs @fastify/cookie registered with a secret')
  })
}

/** Registration: validate everything first, then register @fastify/jwt, then decorate. */
export async function jwtGuardPlugin (fastify: FastifyInstance, options: JwtGuardOptions): Promise<void> {
  const jwtAlreadyRegistered = fastify.hasDecorator('jwt')
  if (jwtAlreadyRegistered && typeof (fastify.jwt as unknown as RegisteredJwt).verify !== 'function') {
    throw new OptionError('@fastify/jwt is registered here with a namespace; register the guard with its options instead')
  }
  const config = normaliseOptions(options, jwtAlreadyRegistered)
  const run = buildPipeline(fastify, config)
  // With an app-registered @fastify/jwt, its messages hold its defaults too, which cannot be told
  // from the app's own: the guard keeps its messages there (README, Migrating).
  const renderer = createRenderer({
    realm: config.realm,
    messages: bodyMessages(config.messages, config.extract.onlyCookie),
    problemDetails: config.problemDetails,
    onFailure: config.onFailure
  })
  const guard: Guard = { run, renderer, authorize: createAuthorizer({ scopeClaims: config.scopeClaims, complete: verifiesComplete(fastify, config) }) }

  if (config.jwtOptions !== null && config.pipeline !== null) {
    const toError = (cause: unknown) => renderer.error({ kind: dependencyFailureKind(cause), cause })
    try {
      await fastify.register(fastifyJwt, fastifyJwtOptions(config.jwtOptions, toError) as unknown as Parameters<typeof fastifyJwt>[1])
    } catch (error) {
      throw new OptionError(`@fastify/jwt refused the options: ${(error as Error).message}`, { cause: error })
    }
    const { decoratorName, formatUser } = config.pipeline
    takeOverJwtVerify(fastify, config.jwtVerifyName, (original: Parameters<typeof createJwtVerify>[0]['original']) =>
      createJwtVerify({ run, renderer, original, decoratorName, formatUser }))
  }
  checkCookieSupport(fastify, config)

  const hooks = createHooks(guard, config.global)
  fastify.decorate('authenticate', hooks.authenticate as FastifyInstance['authenticate'])
  fastify.decorate('authenticateStrategy', hooks.strategy as FastifyInstance['authenticateStrategy'])
  fastify.decorateRequest('verifyJwt', createVerifyJwt(guard))
  // A scope-level hook reaches every route of the scope and its children, whenever they were added.
  fastify.addHook('onRequest', hooks.scopeHook)
  checkRoutePolicies(fastify, config.global)
  if (config.errorHandler) fastify.addHook('onRoute', createRouteErrorHandlerHook(renderer))
}
