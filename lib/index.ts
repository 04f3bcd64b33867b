import fp from 'fastify-plugin'
import { errorCodes, isJwtGuardError } from './errors.js'
import { FAILURE_CHANNEL as failureChannel } from './failure-event.js'
import { jwtGuardPlugin } from './plugin.js'

const plugin = fp(jwtGuardPlugin, { fastify: '5.x', name: 'fastify-jwt-guard' })
const jwtGuard = Object.assign(plugin, { default: plugin, jwtGuard: plugin, fastifyJwtGuard: plugin, errorCodes, isJwtGuardError, failureChannel })

export = jwtGuard

// Node's ESM loader finds the named exports of a CommonJS module by reading assignments like these.
module.exports.jwtGuard = jwtGuard
module.exports.fastifyJwtGuard = jwtGuard
module.exports.errorCodes = errorCodes
module.exports.isJwtGuardError = isJwtGuardError
module.exports.failureChannel = failureChannel
