/**
 * The service's command line and environment.
 *
 *     node eos-service.cjs --socket <path>
 *
 * Everything else comes from the environment (the Python shim translates
 * Jupyter's configuration into these same variables):
 *
 * | variable | meaning | default |
 * |---|---|---|
 * | `GENCOVE_USER_ID`, `GENCOVE_ORGANIZATION_ID` | the user's and organization's UUIDs | none: S3 routes answer `NotConfigured` |
 * | `EOS_ORG_BUCKET`, `EOS_GENCOVE_BUCKET` | bucket overrides | derived from the org id / `gencove-explorer-data` |
 * | `EOS_ENDPOINT_URL` (else `AWS_ENDPOINT_URL_S3`, else `AWS_ENDPOINT_URL`) | an S3-compatible endpoint (path-style addressing) | AWS |
 * | `EOS_REGION` (else `AWS_REGION`, else `AWS_DEFAULT_REGION`) | the S3 region | `us-east-1` |
 * | `EOS_ROOT_DIR` | the Jupyter root directory | the working directory |
 * | `EOS_DISK_LIMIT` | the instance's disk allowance, in bytes | 200 GB |
 * | `EOS_DISK_MODE` | `filesystem`, `quota` or `auto` (filesystem when the root is a mount point) | `auto` |
 * | `EOS_DISK_REFRESH` | seconds after which the quota walk of the root is redone when asked | 60 |
 * | `EOS_DISK_WARN`, `EOS_DISK_CRITICAL` | usage thresholds, in percent | 80, 95 |
 * | `EOS_STATE_DIR` (else `$XDG_STATE_HOME/jupyterlab-eos`) | where the jobs journal is kept | `~/.local/state/jupyterlab-eos` |
 * | `EOS_TRANSFER_THREADS` (older name `EOS_DOWNLOAD_THREADS`) | threads downloads' GETs and uploads' PUTs run on (0: the service's own) | the cores |
 * | `EOS_FILES_IN_FLIGHT` | files transferred at once (fixed) | downloads: 8 per thread (16 to 64), raised to 256 while the rate grows |
 * | `EOS_RANGES_IN_FLIGHT` | ranges of one big download fetched at once | twice the transfer threads, at least 8 |
 * | `EOS_PARTS_IN_FLIGHT` | parts of one big upload sent at once | twice the transfer threads, at least 8 |
 * | `EOS_VERIFY_CHECKSUMS` | `false` (or `0`): transfers send and check no end-to-end CRC64NVME | `true` |
 *
 * AWS credentials come from the SDK's default chain; this module never reads them.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  DEFAULT_DISK_LIMIT,
  DEFAULT_DISK_THRESHOLDS,
  DiskMode,
  DiskThresholds,
  EosContext,
  EosError,
  makeContext
} from '../../core';

/** A configuration the service cannot start with; `main` exits with `exitCode`. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 2
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** The command line. */
export interface ServiceArgs {
  /** The unix socket to listen on. */
  socket: string;
}

/** Everything the service needs to know, resolved from the environment. */
export interface ServiceConfig {
  /** Who the user is and where the data lives; null when the ids are missing or invalid. */
  context: EosContext | null;
  /** Why `context` is null: the message `NotConfigured` answers carry. */
  contextProblem: string | null;
  /** A custom S3 endpoint URL, or undefined for AWS. */
  endpoint: string | undefined;
  region: string;
  /** The Jupyter root directory: absolute, symbolic links resolved. */
  rootDir: string;
  /** The disk allowance in bytes. */
  diskLimit: number;
  /** The folder of the jobs journal (created when first written); null keeps no journal. */
  stateDir: string | null;
  /** How the disk gauge measures (default `auto`). */
  diskMode?: DiskMode | 'auto';
  /** Seconds after which the quota walk is redone (default 60). */
  diskRefreshSeconds?: number;
  /** Warn and critical thresholds in percent (default 80, 95). */
  diskThresholds?: DiskThresholds;
  /** Check transfers' bytes end to end with full-object checksums (default true). */
  verifyChecksums?: boolean;
  /** The transfer figures set in the environment (the others follow the machine: `downloadFigures`). */
  transfers?: TransferFigures;
}

/** Transfer figures a user may set. */
export interface TransferFigures {
  /** Transfer threads (`EOS_TRANSFER_THREADS`; 0: the GETs and PUTs run on the service's own thread). */
  threads?: number;
  /** Files in flight (`EOS_FILES_IN_FLIGHT`). */
  filesInFlight?: number;
  /** Ranges of one big download in flight (`EOS_RANGES_IN_FLIGHT`). */
  rangesInFlight?: number;
  /** Parts of one big upload in flight (`EOS_PARTS_IN_FLIGHT`). */
  partsInFlight?: number;
}

export type Env = Readonly<Record<string, string | undefined>>;

export const USAGE = 'usage: eos-service --socket <path>';

/**
 * Parse the command line (without `node` and the script).
 *
 * @throws ConfigError (exit code 2) without `--socket` or with an unknown argument.
 */
export function parseArgs(argv: readonly string[]): ServiceArgs {
  let socket: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--socket') {
      socket = argv[++i];
    } else if (arg.startsWith('--socket=')) {
      socket = arg.slice('--socket='.length);
    } else {
      throw new ConfigError(`eos-service: unknown argument ${JSON.stringify(arg)}\n${USAGE}`);
    }
  }
  if (!socket) {
    throw new ConfigError(
      `eos-service: --socket <path> is required (the service listens only on a unix socket)\n${USAGE}`
    );
  }
  return { socket };
}

/** The first variable of `names` that is set to a non-blank value. */
export function firstSet(env: Env, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) {
      return value;
    }
  }
  return undefined;
}

/**
 * Resolve the configuration from the environment.
 *
 * Missing or invalid user/organization ids are not fatal: the service starts
 * and explains what to set. A bad endpoint URL, root dir or disk limit is.
 *
 * @throws ConfigError for values the service cannot run with.
 */
export function loadConfig(env: Env, cwd: string = process.cwd()): ServiceConfig {
  const { context, problem } = contextFrom(env);
  return {
    context,
    contextProblem: problem,
    endpoint: endpointFrom(env),
    region: firstSet(env, 'EOS_REGION', 'AWS_REGION', 'AWS_DEFAULT_REGION') ?? 'us-east-1',
    rootDir: rootDirFrom(env, cwd),
    diskLimit: diskLimitFrom(env),
    stateDir: stateDirFrom(env, cwd),
    ...diskFrom(env),
    transfers: transfersFrom(env),
    verifyChecksums: verifyFrom(env)
  };
}

/** `EOS_VERIFY_CHECKSUMS`: `true`/`1` (the default) or `false`/`0`. */
function verifyFrom(env: Env): boolean {
  const text = firstSet(env, 'EOS_VERIFY_CHECKSUMS')?.toLowerCase() ?? 'true';
  if (!['true', '1', 'false', '0'].includes(text)) {
    throw new ConfigError(`eos-service: EOS_VERIFY_CHECKSUMS must be true or false, not ${JSON.stringify(text)}`);
  }
  return text === 'true' || text === '1';
}

/**
 * `EOS_TRANSFER_THREADS` (or its older name `EOS_DOWNLOAD_THREADS`), `EOS_FILES_IN_FLIGHT`,
 * `EOS_RANGES_IN_FLIGHT`, `EOS_PARTS_IN_FLIGHT`: whole numbers, each only when set.
 */
function transfersFrom(env: Env): TransferFigures {
  const count = (names: string[], min: number, max: number): number | undefined => {
    const name = names.find(n => firstSet(env, n) !== undefined);
    const text = name === undefined ? undefined : firstSet(env, name);
    if (text === undefined) {
      return undefined;
    }
    const value = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!(value >= min && value <= max)) {
      throw new ConfigError(
        `eos-service: ${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(text)}`
      );
    }
    return value;
  };
  const figures: TransferFigures = {
    threads: count(['EOS_TRANSFER_THREADS', 'EOS_DOWNLOAD_THREADS'], 0, 64),
    filesInFlight: count(['EOS_FILES_IN_FLIGHT'], 1, 1024),
    rangesInFlight: count(['EOS_RANGES_IN_FLIGHT'], 1, 64),
    partsInFlight: count(['EOS_PARTS_IN_FLIGHT'], 1, 64)
  };
  return Object.fromEntries(Object.entries(figures).filter(([, v]) => v !== undefined));
}

/** `EOS_STATE_DIR`, else `$XDG_STATE_HOME/jupyterlab-eos`, else `~/.local/state/jupyterlab-eos`. */
function stateDirFrom(env: Env, cwd: string): string {
  const own = firstSet(env, 'EOS_STATE_DIR');
  if (own !== undefined) {
    return path.resolve(cwd, own);
  }
  const xdg = firstSet(env, 'XDG_STATE_HOME');
  const base = xdg !== undefined && path.isAbsolute(xdg) ? xdg : path.join(env.HOME ?? os.homedir(), '.local', 'state');
  return path.join(base, 'jupyterlab-eos');
}

function contextFrom(env: Env): { context: EosContext | null; problem: string | null } {
  const userId = firstSet(env, 'GENCOVE_USER_ID');
  const orgId = firstSet(env, 'GENCOVE_ORGANIZATION_ID');
  const missing = [userId ? null : 'GENCOVE_USER_ID', orgId ? null : 'GENCOVE_ORGANIZATION_ID'].filter(Boolean);
  if (missing.length > 0) {
    return {
      context: null,
      problem:
        `EOS is not configured: set ${missing.join(' and ')} (UUIDs) in the environment of the Jupyter server, ` +
        'or the matching jupyterlab-eos options in the Jupyter configuration'
    };
  }
  try {
    const context = makeContext({
      userId: userId!,
      orgId: orgId!,
      orgBucket: firstSet(env, 'EOS_ORG_BUCKET'),
      gencoveBucket: firstSet(env, 'EOS_GENCOVE_BUCKET')
    });
    return { context, problem: null };
  } catch (err) {
    const reason = err instanceof EosError ? err.message : String(err);
    return {
      context: null,
      problem: `EOS is not configured: ${reason}; check GENCOVE_USER_ID and GENCOVE_ORGANIZATION_ID`
    };
  }
}

function endpointFrom(env: Env): string | undefined {
  const endpoint = firstSet(env, 'EOS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL');
  if (endpoint === undefined) {
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new ConfigError(`eos-service: the S3 endpoint ${JSON.stringify(endpoint)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(
      `eos-service: the S3 endpoint ${JSON.stringify(endpoint)} must be an http:// or https:// URL`
    );
  }
  return endpoint;
}

function rootDirFrom(env: Env, cwd: string): string {
  const root = path.resolve(cwd, firstSet(env, 'EOS_ROOT_DIR') ?? '.');
  try {
    return fs.realpathSync(root);
  } catch {
    throw new ConfigError(`eos-service: the root directory ${root} (EOS_ROOT_DIR) does not exist`);
  }
}

function diskLimitFrom(env: Env): number {
  const text = firstSet(env, 'EOS_DISK_LIMIT');
  if (text === undefined) {
    return DEFAULT_DISK_LIMIT;
  }
  const limit = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(limit) || limit <= 0) {
    throw new ConfigError(
      `eos-service: EOS_DISK_LIMIT must be a positive number of bytes, not ${JSON.stringify(text)}`
    );
  }
  return limit;
}

/** `EOS_DISK_MODE`, `EOS_DISK_REFRESH`, `EOS_DISK_WARN`, `EOS_DISK_CRITICAL`. */
function diskFrom(env: Env): Pick<ServiceConfig, 'diskMode' | 'diskRefreshSeconds' | 'diskThresholds'> {
  const mode = firstSet(env, 'EOS_DISK_MODE') ?? 'auto';
  if (mode !== 'auto' && mode !== 'filesystem' && mode !== 'quota') {
    throw new ConfigError(
      `eos-service: EOS_DISK_MODE must be 'auto', 'filesystem' or 'quota', not ${JSON.stringify(mode)}`
    );
  }
  const number = (name: string, fallback: number, max: number): number => {
    const text = firstSet(env, name);
    if (text === undefined) {
      return fallback;
    }
    const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
    if (!(value > 0 && value <= max)) {
      throw new ConfigError(
        `eos-service: ${name} must be a number above 0 and at most ${max}, not ${JSON.stringify(text)}`
      );
    }
    return value;
  };
  const warn = number('EOS_DISK_WARN', DEFAULT_DISK_THRESHOLDS.warn, 100);
  const critical = number('EOS_DISK_CRITICAL', DEFAULT_DISK_THRESHOLDS.critical, 100);
  if (critical < warn) {
    throw new ConfigError('eos-service: EOS_DISK_CRITICAL must not be below EOS_DISK_WARN');
  }
  return {
    diskMode: mode,
    diskRefreshSeconds: number('EOS_DISK_REFRESH', 60, 86400),
    diskThresholds: { warn, critical }
  };
}
