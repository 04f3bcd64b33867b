import { createHmac, generateKeyPairSync, createSign } from 'node:crypto'

export const SECRET = 'contract-secret-that-is-long-enough-for-hs256'
export const AUDIENCE = 'contract-api'
export const ISSUER = 'contract-issuer'

export function b64url (value: string | Buffer): string {
  return Buffer.from(value).toString('base64url')
}

export function now (): number {
  return Math.floor(Date.now() / 1000)
}

/** Signs any header and payload with HMAC, without the checks a signing library would make. */
export function hmacToken (header: object, payload: unknown, secret = SECRET, hash = 'sha256'): string {
  const input = b64url(JSON.stringify(header)) + '.' + b64url(JSON.stringify(payload))
  return input + '.' + createHmac(hash, secret).update(input).digest('base64url')
}

/** Claims a valid token of the contract app carries; `extra` overrides. */
export function claims (extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { sub: 'user-1', aud: AUDIENCE, iss: ISSUER, iat: now(), exp: now() + 600, ...extra }
}

export function validToken (extra: Record<string, unknown> = {}): string {
  return hmacToken({ alg: 'HS256', typ: 'JWT' }, claims(extra))
}

let rsa: { privateKey: string, publicKey: string } | null = null
export function rsaKeys (): { privateKey: string, publicKey: string } {
  rsa ??= generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' }
  })
  return rsa
}

export function rs256Token (payload: unknown): string {
  const input = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' })) + '.' + b64url(JSON.stringify(payload))
  return input + '.' + createSign('RSA-SHA256').update(input).sign(rsaKeys().privateKey).toString('base64url')
}
