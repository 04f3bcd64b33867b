import fp from 'fastify-plugin'
import { errorCodes, isJwtGuardError } from './errors.js'
import { jwtGuardPlugin } from './plugin.js'

const jwtGuard = fp(jwtGuardPlugin, { fastify: '5.x', name: 'fastify-jwt-guard' })

// Assigned one by one so that Node's ESM loader sees the named exports of this CommonJS module.
module.exports = jwtGuard
module.exports.default = jwtGuard
module.exports.jwtGuard = jwtGuard
module.exports.fastifyJwtGuard = jwtGuard
module.exports.errorCodes = errorCodes
module.exports.isJwtGuardError = isJwtGuardError
