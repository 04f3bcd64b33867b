import Fastify, { type FastifyInstance } from 'fastify'
import fastifyCookie from '@fastify/cookie'
import jwtGuard from '../../lib/index.js'
import type { JwtGuardOptions } from '../../types/index.js'
import { keys } from './keys.js'

export type AttackApp = 'hs256' | 'rs256' | 'es256' | 'kid' | 'cookie'

/** One file of test/fixtures/attacks: the request, the app it goes to, the reply it must get. */
export interface Attack {
  attack: string
  reference: string
  app: AttackApp
  headers?: Record<string, string | string[]>
  /** Header lines sent byte for byte on a socket, for what fetch and inject cannot send. */
  rawHeaderLines?: string[]
  transports: Array<'inject' | 'socket'>
  expect: { status: number, code?: string, user?: Record<string, unknown> }
}

const KID_KEYS: Record<string, string> = { main: keys.hs }

const OPTIONS: Record<AttackApp, JwtGuardOptions> = {
  hs256: { secret: keys.hs },
  rs256: { secret: { private: keys.rsaPrivate, public: keys.rsaPublic }, sign: { algorithm: 'RS256' } },
  es256: { secret: { private: keys.ecPrivate, public: keys.ecPublic }, sign: { algorithm: 'ES256' } },
  kid: {
    decode: { complete: true },
    // A kid-keyed secret: an unknown kid is the token's fault, said with a 4xx statusCode.
    secret: async (_request: unknown, token: { header: { kid?: unknown } }) => {
      const kid = token.header.kid
      if (typeof kid === 'string' && Object.hasOwn(KID_KEYS, kid)) return KID_KEYS[kid]
      throw Object.assign(new Error('unknown kid'), { statusCode: 401 })
    }
  } as JwtGuardOptions,
  cookie: { secret: keys.hs, cookie: { cookieName: 'token', signed: false } }
}

/** The apps the attack corpus is replayed against; `/hook` answers with the user it let in. */
export async function attackApp (app: AttackApp): Promise<FastifyInstance> {
  const instance = Fastify()
  if (app === 'cookie') await instance.register(fastifyCookie)
  await instance.register(jwtGuard, OPTIONS[app])
  instance.get('/hook', { onRequest: instance.authenticate }, async (request) => ({ user: request.user }))
  await instance.ready()
  return instance
}
