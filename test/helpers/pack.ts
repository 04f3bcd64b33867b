import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'

/** The repository root, from build/test/helpers at run time. */
export const repoRoot = path.resolve(__dirname, '../../..')

/** The npm that runs this test when it is one (`npm test`), else the `npm` on PATH. */
function npmCommand (): { command: string, prefix: string[] } {
  const cli = process.env.npm_execpath
  if (cli !== undefined && /npm-cli\.c?js$/.test(cli)) return { command: process.execPath, prefix: [cli] }
  return { command: 'npm', prefix: [] }
}

/** The environment of child processes, without coverage collection: c8 has no business profiling npm, tsc and the consumers. */
function childEnv (): NodeJS.ProcessEnv {
  const { NODE_V8_COVERAGE: _coverage, ...env } = process.env
  return env
}

/**
 * A time budget: the returned function gives the timeout of the next command, `capMs` at most and
 * never past the deadline, so that blocking commands in a row stay within one test timeout.
 */
export function deadline (totalMs: number): (capMs: number) => number {
  const end = Date.now() + totalMs
  return (capMs) => {
    const left = end - Date.now()
    if (left <= 0) throw new Error(`the time budget of ${totalMs} ms is spent`)
    return Math.min(capMs, left)
  }
}

/** Runs a program with explicit arguments (no shell) and returns its stdout; throws with its output on failure. */
export function run (command: string, args: readonly string[], cwd: string, timeoutMs: number): string {
  const result = spawnSync(command, args, { cwd, env: childEnv(), encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 })
  if (result.error !== undefined) throw new Error(`${path.basename(command)} ${args.join(' ')}: ${result.error.message}`)
  if (result.status !== 0) {
    throw new Error(`${path.basename(command)} ${args.join(' ')} exited with ${result.status ?? result.signal}\n${result.stdout}\n${result.stderr}`)
  }
  return result.stdout
}

export function npm (args: readonly string[], cwd: string, timeoutMs: number): string {
  const { command, prefix } = npmCommand()
  return run(command, [...prefix, ...args], cwd, timeoutMs)
}

export function node (args: readonly string[], cwd: string, timeoutMs: number): string {
  return run(process.execPath, args, cwd, timeoutMs)
}

export interface Packed {
  /** Absolute path of the tarball. */
  tarball: string
  /** Every path in the tarball, relative to the package root. */
  files: string[]
}

/** `npm pack` of the repository as it is (built beforehand), into `destination`. */
export function pack (destination: string, timeoutMs: number): Packed {
  mkdirSync(destination, { recursive: true })
  const out = npm(['pack', '--json', '--ignore-scripts', '--pack-destination', destination], repoRoot, timeoutMs)
  const [info] = JSON.parse(out) as Array<{ filename: string, files: Array<{ path: string }> }>
  return { tarball: path.join(destination, info.filename), files: info.files.map((file) => file.path) }
}

/** Writes files (paths relative to `dir`) and returns `dir`. */
export function writeFiles (dir: string, files: Readonly<Record<string, string>>): string {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
    writeFileSync(path.join(dir, name), content)
  }
  return dir
}

/** A fresh folder of its own package, with the tarball and `dependencies` installed from the registry or its cache. */
export function installConsumer (dir: string, tarball: string, dependencies: readonly string[], timeoutMs: number): void {
  writeFiles(dir, { 'package.json': JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }, null, 2) + '\n' })
  npm(['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', tarball, ...dependencies], dir, timeoutMs)
}
