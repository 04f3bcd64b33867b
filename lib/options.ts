import { parse as parseDuration } from '@lukeed/ms'
import type { JwtGuardOptions, OnFailure } from '../types/index.js'
import { DEFAULT_SCOPE_CLAIMS } from './authorize.js'
import { OptionError } from './errors.js'
import { FAILURE_KINDS } from './failures.js'

/** Every option @fastify/jwt 10 reads; they are passed to it unchanged. */
const FASTIFY_JWT_KEYS = new Set([
  'secret', 'sign', 'verify', 'decode', 'cookie', 'formatUser', 'trusted', 'messages',
  'namespace', 'decoratorName', 'jwtDecode', 'jwtVerify', 'jwtSign'
])
const GUARD_KEYS = new Set(['realm', 'errorHandler', 'global', 'scopeClaim', 'onFailure', 'problemDetails'])
// Fastify's own register options arrive in the plugin options too; they are Fastify's business.
const FASTIFY_REGISTER_KEYS = new Set(['prefix', 'logLevel', 'logSerializers'])

// What fast-jwt's createVerifier and createDecoder read, plus @fastify/jwt's own verify keys.
// A key outside these would be ignored by both, so a typo (`algorithm`) would weaken the check silently.
const VERIFY_KEYS = new Set([
  'key', 'algorithms', 'complete', 'cache', 'cacheTTL', 'errorCacheTTL', 'checkTyp', 'clockTimestamp',
  'clockTolerance', 'ignoreExpiration', 'ignoreNotBefore', 'maxAge', 'allowedJti', 'allowedAud', 'allowedIss',
  'allowedSub', 'allowedNonce', 'requiredClaims', 'allowedCritHeaders', 'cacheKeyBuilder', 'extractToken', 'onlyCookie'
])
const DECODE_KEYS = new Set(['complete', 'checkTyp'])
// @fastify/jwt's message keys; authorizationTokenInvalid may also be a function of the upstream error.
const FASTIFY_JWT_MESSAGE_KEYS = new Set([
  'badRequestErrorMessage', 'badCookieRequestErrorMessage', 'noAuthorizationInHeaderMessage', 'noAuthorizationInCookieMessage',
  'authorizationTokenExpiredMessage', 'authorizationTokenInvalid', 'authorizationTokenUntrusted', 'authorizationTokenUnsigned'
])
// The guard's own message keys: one per failure kind. They win over @fastify/jwt's.
const KIND_MESSAGE_KEYS = new Set<string>(FAILURE_KINDS)

// @fastify/jwt's default: failed verifications stay in fast-jwt's cache for 10 minutes.
const DEFAULT_VERIFY_OPTIONS = Object.freeze({ errorCacheTTL: 600000 })

export type SecretProvider = (request: unknown, decoded: unknown, callback: (error: unknown, key?: unknown) => void) => unknown

export interface CookieConfig { cookieName: string, signed: boolean }

/** What the token extraction step needs to know. */
export interface ExtractConfig {
  extractToken: ((request: unknown) => unknown) | null
  onlyCookie: boolean
  cookie: CookieConfig | null
}

/** What the guard's own verification pipeline needs; null when @fastify/jwt was registered by the app. */
export interface PipelineConfig {
  /** fast-jwt verifier options, temporal values already in milliseconds; `key` is set when static. */
  verifyOptions: Record<string, unknown>
  decodeOptions: Record<string, unknown>
  /** The public key or secret, when it does not depend on the request. */
  staticKey: unknown
  /** The `secret` function (or `secret.public` function), when it does. */
  keyProvider: SecretProvider | null
  trusted: ((request: unknown, claims: unknown) => unknown) | null
  formatUser: ((claims: unknown) => unknown) | null
  decoratorName: string
}

export interface GuardConfig {
  realm: string
  /** Every route of the scope requires a token unless its `config.jwt` says otherwise. */
  global: boolean
  /** The claims whose values are the token's scopes. */
  scopeClaims: readonly string[]
  onFailure: OnFailure | null
  problemDetails: boolean
  /** The request decorator name of @fastify/jwt's verify, which the guard takes over. */
  jwtVerifyName: string
  errorHandler: boolean
  extract: ExtractConfig
  pipeline: PipelineConfig | null
  /** The options for @fastify/jwt; null when it is already registered in the scope. */
  jwtOptions: Record<string, unknown> | null
  messages: Readonly<Record<string, unknown>>
}

function fail (message: string): never {
  throw new OptionError(message)
}

function isPlainObject (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value)
}

function optionalObject (options: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  const value = options[name]
  if (value === undefined) return undefined
  if (!isPlainObject(value)) fail(`"${name}" option must be an object, got ${describe(value)}`)
  return value
}

function optionalFunction<T> (options: Record<string, unknown>, name: string): T | null {
  const value = options[name]
  if (value === undefined) return null
  if (typeof value !== 'function') fail(`"${name}" option must be a function, got ${describe(value)}`)
  return value as T
}

function knownKeys (value: Record<string, unknown> | undefined, name: string, known: Set<string>): void {
  for (const key of Object.keys(value ?? {})) {
    if (!known.has(key)) fail(`unknown option "${name}.${key}"`)
  }
}

function optionalString (options: Record<string, unknown>, name: string): string | undefined {
  const value = options[name]
  if (value === undefined) return undefined
  if (typeof value !== 'string' || value === '') fail(`"${name}" option must be a non-empty string, got ${describe(value)}`)
  return value
}

function checkMessages (messages: Record<string, unknown>, fastifyJwtKeys: boolean): void {
  for (const [key, value] of Object.entries(messages)) {
    if (KIND_MESSAGE_KEYS.has(key)) {
      if (typeof value !== 'string' || value === '') fail(`"messages.${key}" option must be a non-empty string, got ${describe(value)}`)
      continue
    }
    if (!FASTIFY_JWT_MESSAGE_KEYS.has(key)) fail(`unknown option "messages.${key}"; it takes a failure kind (${FAILURE_KINDS.join(', ')}) or a message key of @fastify/jwt`)
    if (!fastifyJwtKeys) fail(`"messages.${key}" belongs to the @fastify/jwt registered in this scope; give the guard messages by failure kind`)
    const isFunction = key === 'authorizationTokenInvalid' && typeof value === 'function'
    if (!isFunction && typeof value !== 'string') fail(`"messages.${key}" option must be a string, got ${describe(value)}`)
  }
}

/** The messages for @fastify/jwt: its own keys only. */
function fastifyJwtMessages (messages: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(messages).filter(([key]) => !KIND_MESSAGE_KEYS.has(key)))
}

function optionalBoolean (options: Record<string, unknown>, name: string, fallback: boolean): boolean {
  const value = options[name]
  if (value === undefined) return fallback
  if (typeof value !== 'boolean') fail(`"${name}" option must be a boolean, got ${describe(value)}`)
  return value
}

function scopeClaimsOf (value: unknown): readonly string[] {
  if (value === undefined) return DEFAULT_SCOPE_CLAIMS
  const list = typeof value === 'string' ? [value] : value
  if (!Array.isArray(list) || list.length === 0 || !list.every((name) => typeof name === 'string' && name !== '')) {
    fail(`"scopeClaim" option must be a claim name or a non-empty array of claim names, got ${describe(value)}`)
  }
  return Object.freeze([...list] as string[])
}

function describe (value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (Buffer.isBuffer(value)) return 'a Buffer'
  const type = typeof value
  return type === 'object' || type === 'undefined' ? `an ${type}` : `a ${type}`
}

function isKeyMaterial (value: unknown): boolean {
  return (typeof value === 'string' && value.length > 0) ||
    (Buffer.isBuffer(value) && value.length > 0) ||
    typeof value === 'function'
}

function toMilliseconds (value: unknown, name: string): number {
  const ms = typeof value === 'number'
    ? value * 1000 // @fastify/jwt reads numbers as seconds
    : typeof value === 'string' && value.trim() !== '' ? parseDuration(value) : NaN
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
    fail(`"${name}" option must be a number of seconds or a duration string such as "1h", got ${JSON.stringify(value)}`)
  }
  return ms
}

function normaliseVerifyOptions (verify: Record<string, unknown> | undefined): Record<string, unknown> {
  const source: Record<string, unknown> = verify ?? DEFAULT_VERIFY_OPTIONS
  const { extractToken: _extractToken, onlyCookie: _onlyCookie, ...verifierOptions } = source
  if (verifierOptions.maxAge === undefined || verifierOptions.maxAge === null) {
    delete verifierOptions.maxAge
  } else {
    verifierOptions.maxAge = toMilliseconds(verifierOptions.maxAge, 'verify.maxAge')
  }
  const { cache, cacheTTL } = verifierOptions
  if (cache !== undefined && typeof cache !== 'boolean' && !(Number.isSafeInteger(cache) && (cache as number) >= 0)) {
    fail(`"verify.cache" option must be a boolean or a number of entries, got ${describe(cache)}`)
  }
  if (cacheTTL !== undefined && !(typeof cacheTTL === 'number' && Number.isFinite(cacheTTL) && cacheTTL >= 0)) {
    fail(`"verify.cacheTTL" option must be a number of milliseconds, got ${describe(cacheTTL)}`)
  }
  const algorithms = verifierOptions.algorithms
  if (algorithms !== undefined) {
    if (!Array.isArray(algorithms) || algorithms.length === 0 || !algorithms.every((a) => typeof a === 'string')) {
      fail('"verify.algorithms" option must be a non-empty array of strings')
    }
    // RFC 8725 §3.1: an unsigned token is never a credential.
    if (algorithms.some((a: string) => a.toLowerCase() === 'none')) {
      fail('"verify.algorithms" option must not allow "none" (RFC 8725 §3.1)')
    }
  }
  return verifierOptions
}

function extractConfig (verify: Record<string, unknown> | undefined, cookie: Record<string, unknown> | undefined): ExtractConfig {
  const extractToken = verify === undefined ? null : optionalFunction<(request: unknown) => unknown>(verify, 'extractToken')
  if (cookie !== undefined && (typeof cookie.cookieName !== 'string' || cookie.cookieName === '')) {
    fail('"cookie.cookieName" option must be a non-empty string')
  }
  if (cookie?.signed !== undefined && typeof cookie.signed !== 'boolean') fail(`"cookie.signed" option must be a boolean, got ${describe(cookie.signed)}`)
  if (verify?.onlyCookie !== undefined && typeof verify.onlyCookie !== 'boolean') fail(`"verify.onlyCookie" option must be a boolean, got ${describe(verify.onlyCookie)}`)
  if (verify?.onlyCookie === true && cookie === undefined) fail('"verify.onlyCookie" option needs the "cookie" option')
  return {
    extractToken,
    onlyCookie: verify?.onlyCookie === true,
    cookie: cookie === undefined ? null : { cookieName: cookie.cookieName as string, signed: cookie.signed === true }
  }
}

function pipelineConfig (options: Record<string, unknown>, verify: Record<string, unknown> | undefined, decode: Record<string, unknown> | undefined): PipelineConfig {
  const secret = options.secret
  let publicKey = secret
  if (isPlainObject(secret)) {
    if (!isKeyMaterial(secret.public)) fail('"secret.public" option must be a non-empty string, a Buffer or a function when "secret" is a key pair')
    publicKey = secret.public
  } else if (!isKeyMaterial(secret)) {
    fail(`"secret" option is required: a non-empty string, a Buffer, a { private, public } pair or a function, got ${describe(secret)}`)
  }
  const verifyOptions = normaliseVerifyOptions(verify)
  const decoratorName = options.decoratorName ?? 'user'
  if (typeof decoratorName !== 'string' || decoratorName === '') fail('"decoratorName" option must be a non-empty string')
  const explicitKey = verifyOptions.key !== undefined && verifyOptions.key !== null
  const dynamic = !explicitKey && typeof publicKey === 'function'
  if (!explicitKey && !dynamic) verifyOptions.key = publicKey
  return {
    verifyOptions,
    decodeOptions: decode ?? {},
    staticKey: dynamic ? null : verifyOptions.key,
    keyProvider: dynamic ? publicKey as SecretProvider : null,
    trusted: optionalFunction(options, 'trusted'),
    formatUser: optionalFunction(options, 'formatUser'),
    decoratorName
  }
}

function realmOf (value: unknown): string {
  if (value === undefined) return 'api'
  // Printable ASCII only: the realm is sent in a header.
  if (typeof value !== 'string' || value === '' || !/^[\x20-\x7e]+$/.test(value)) {
    fail(`"realm" option must be a non-empty string of printable ASCII, got ${describe(value)}`)
  }
  return value
}

/**
 * Validates the registration options before anything is decorated, and splits the guard's own
 * from @fastify/jwt's. Never mutates the input.
 */
export function normaliseOptions (input: JwtGuardOptions | undefined, jwtAlreadyRegistered: boolean): GuardConfig {
  if (input !== undefined && !isPlainObject(input)) fail(`options must be an object, got ${describe(input)}`)
  const options: Record<string, unknown> = { ...input }
  const jwtKeys = Object.keys(options).filter((key) => FASTIFY_JWT_KEYS.has(key))
  for (const key of Object.keys(options)) {
    if (!FASTIFY_JWT_KEYS.has(key) && !GUARD_KEYS.has(key) && !FASTIFY_REGISTER_KEYS.has(key)) {
      fail(`unknown option "${key}"; the guard takes ${[...GUARD_KEYS].join(', ')} and @fastify/jwt's options`)
    }
  }
  const realm = realmOf(options.realm)
  const own = {
    realm,
    global: optionalBoolean(options, 'global', false),
    scopeClaims: scopeClaimsOf(options.scopeClaim),
    onFailure: optionalFunction<OnFailure>(options, 'onFailure'),
    problemDetails: optionalBoolean(options, 'problemDetails', false),
    errorHandler: optionalBoolean(options, 'errorHandler', true)
  }
  const namespace = optionalString(options, 'namespace')
  // @fastify/jwt honours a custom jwtVerify name only together with a namespace.
  const customVerifyName = optionalString(options, 'jwtVerify')
  const jwtVerifyName = namespace === undefined ? 'jwtVerify' : customVerifyName ?? `${namespace}JwtVerify`
  optionalString(options, 'jwtSign')
  optionalString(options, 'jwtDecode')

  if (jwtAlreadyRegistered) {
    // Messages by failure kind are the guard's own, so they are welcome here too.
    const foreignKeys = jwtKeys.filter((key) => key !== 'messages')
    if (foreignKeys.length > 0) {
      fail(`@fastify/jwt is already registered in this scope, so its options (${foreignKeys.join(', ')}) belong there, not to the guard`)
    }
    const messages = optionalObject(options, 'messages') ?? {}
    checkMessages(messages, false)
    return { ...own, jwtVerifyName, extract: { extractToken: null, onlyCookie: false, cookie: null }, pipeline: null, jwtOptions: null, messages }
  }

  const verify = optionalObject(options, 'verify')
  const decode = optionalObject(options, 'decode')
  const cookie = optionalObject(options, 'cookie')
  const messages = optionalObject(options, 'messages') ?? {}
  optionalObject(options, 'sign')
  knownKeys(verify, 'verify', VERIFY_KEYS)
  knownKeys(decode, 'decode', DECODE_KEYS)
  checkMessages(messages, true)
  const jwtOptions = Object.fromEntries(jwtKeys.map((key) => [key, key === 'messages' ? fastifyJwtMessages(messages) : options[key]]))
  return {
    ...own,
    jwtVerifyName,
    extract: extractConfig(verify, cookie),
    pipeline: pipelineConfig(options, verify, decode),
    jwtOptions,
    messages
  }
}

/** The extraction settings of an @fastify/jwt instance the app registered itself. */
export function extractConfigFromRegistered (jwt: { cookie?: unknown, options: { verify?: Record<string, unknown> } }): ExtractConfig {
  const verify = jwt.options.verify // @fastify/jwt always holds an object here
  const cookie = isPlainObject(jwt.cookie) ? jwt.cookie : undefined
  return extractConfig(verify, cookie)
}
