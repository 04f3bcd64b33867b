import fastifyJwt from '@fastify/jwt'
import type { FastifyInstance } from 'fastify'
import type { JwtGuardOptions } from '../types/index.js'
import { createAuthenticate, createAuthenticateStrategy } from './authenticate.js'
import { createRouteErrorHandlerHook } from './error-handler.js'
import { OptionError } from './errors.js'
import { protectDependencies } from './fastify-jwt-options.js'
import { bodyMessages } from './messages.js'
import { extractConfigFromRegistered, normaliseOptions } from './options.js'
import { createDelegatingPipeline, createPipeline, type Pipeline } from './pipeline.js'
import { createRenderer } from './reply.js'
import { createVerifyJwt } from './verify.js'

function buildPipeline (fastify: FastifyInstance, config: ReturnType<typeof normaliseOptions>): Pipeline {
  if (config.pipeline === null) {
    const registered = fastify.jwt as unknown as { verify?: unknown, cookie?: unknown, options: { verify?: Record<string, unknown> } }
    if (typeof registered.verify !== 'function') {
      throw new OptionError('@fastify/jwt is registered here with a namespace; register the guard with its options instead')
    }
    return createDelegatingPipeline(extractConfigFromRegistered(registered))
  }
  try {
    return createPipeline(config.extract, config.pipeline)
  } catch (error) {
    throw new OptionError(`"secret" cannot verify tokens: ${(error as Error).message}`, { cause: error })
  }
}

/** Registration: validate everything first, then register @fastify/jwt, then decorate. */
export async function jwtGuardPlugin (fastify: FastifyInstance, options: JwtGuardOptions): Promise<void> {
  const jwtAlreadyRegistered = fastify.hasDecorator('jwt')
  const config = normaliseOptions(options, jwtAlreadyRegistered)
  const run = buildPipeline(fastify, config)
  const renderer = createRenderer(config.realm, bodyMessages(config.messages))

  if (config.jwtOptions !== null) {
    const toUnavailable = (cause: unknown) => renderer.error({ kind: 'unavailable', cause })
    await fastify.register(fastifyJwt, protectDependencies(config.jwtOptions, toUnavailable) as unknown as Parameters<typeof fastifyJwt>[1])
  }

  fastify.decorate('authenticate', createAuthenticate(run, renderer) as FastifyInstance['authenticate'])
  fastify.decorate('authenticateStrategy', createAuthenticateStrategy(run, renderer) as FastifyInstance['authenticateStrategy'])
  fastify.decorateRequest('verifyJwt', createVerifyJwt(run, renderer))
  if (config.errorHandler) fastify.addHook('onRoute', createRouteErrorHandlerHook(renderer))
}
