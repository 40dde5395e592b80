/**
 * What every command works with: the configuration (the same environment
 * variables as the service), the store and the engine, built in-process and
 * only when a command needs them, and local paths resolved the terminal's
 * way: relative to the current directory, confined to the Jupyter root.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { EosError, S3_SCHEME, isEosBucket, parseS3Uri } from '../../core';
import { Env, ServiceConfig, loadConfig } from '../engine';
import { Engine } from '../engine';
import { DiskMonitor } from '../engine';
import { downloadSetup } from '../engine';
import { isInside } from '../engine';
import { createS3Client, endpointLabel } from '../engine';
import { EosStore } from '../engine';
import { UnfinishedAbort, finishBackgroundAborts } from '../engine';
import { ServiceNotifier } from './notify';

/**
 * Whether a command-line argument names EOS (`e://`, `s3://`) rather than a local path.
 *
 * @throws EosError `InvalidUri` for `e:/x`, `s3:x` and the like: a mistyped URI, not a local file
 */
export function isRemote(arg: string): boolean {
  if (arg.startsWith('e://') || arg.startsWith('s3://')) {
    return true;
  }
  if (/^(e|s3):/i.test(arg)) {
    throw new EosError(
      'InvalidUri',
      `${JSON.stringify(arg)} is not a URI: e:// and s3:// URIs start with two slashes (write ./${arg} for a local file of that name)`
    );
  }
  return false;
}

/** The real path of `abs`: its deepest existing part with symbolic links resolved, the rest as written. */
export function realish(abs: string): string {
  let probe = abs;
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(fs.realpathSync(probe), ...rest);
    } catch {
      const up = path.dirname(probe);
      if (up === probe) {
        return abs;
      }
      rest.unshift(path.basename(probe));
      probe = up;
    }
  }
}

/** How long the command keeps trying the aborts S3 did not take before it ends (S3 back within it: nothing is left open). */
const LAST_ABORTS_MS = 5000;

export class Session {
  private _store: EosStore | null = null;
  private _engine: Engine | null = null;
  private client: S3Client | null = null;
  private notifier: ServiceNotifier | null = null;
  /** The disk the engine counts its local writes on; it never walks the root itself (the command exits). */
  private disk: DiskMonitor | null = null;

  /**
   * @param config the configuration, from `loadConfig(env, cwd)`
   * @param cwd the directory relative local paths start from
   * @param debug write the engine's log to standard error
   */
  constructor(
    readonly config: ServiceConfig,
    readonly cwd: string,
    private readonly debug = false
  ) {}

  /** A session for this process's environment and working directory. */
  static fromEnv(env: Env = process.env, cwd: string = process.cwd()): Session {
    return new Session(loadConfig(env, cwd), cwd, Boolean(env.EOS_DEBUG));
  }

  /**
   * The user's view of EOS.
   *
   * @throws EosError `NotConfigured` without user and organization ids
   */
  get store(): EosStore {
    if (this._store === null) {
      const { context } = this.config;
      if (context === null) {
        throw new EosError('NotConfigured', this.config.contextProblem ?? 'EOS is not configured');
      }
      this.client = createS3Client(this.config);
      this._store = new EosStore(this.client, context, endpointLabel(this.config));
      // What this command writes shows in the JupyterLab panel at once, as the panel's own writes do.
      this.notifier = new ServiceNotifier(
        this._store.changes,
        { ...this.config, ctx: context, log: this.debug ? line => process.stderr.write(`${line}\n`) : undefined },
        () => {
          const touched = this.disk?.touched ?? false;
          if (this.disk) {
            this.disk.touched = false;
          }
          return touched;
        }
      );
    }
    return this._store;
  }

  /** The engine the panel's service runs, here in this process (no jobs journal). */
  get engine(): Engine {
    if (this._engine === null) {
      const log = this.debug ? (line: string) => process.stderr.write(`${line}\n`) : () => undefined;
      this.disk = new DiskMonitor({ rootDir: this.config.rootDir, remeasureMs: null });
      this._engine = new Engine(this.store, {
        rootDir: this.config.rootDir,
        disk: this.disk,
        log,
        ...downloadSetup(__dirname, this.config.transfers),
        verifyChecksums: this.config.verifyChecksums
      });
    }
    return this._engine;
  }

  /**
   * Let the store read the S3 locations outside EOS that the arguments name
   * (the user named them: each bucket whole), signed unless `sign` is false
   * (`--no-sign-request`). Answers how many arguments named one.
   *
   * @throws EosError `InvalidUri` for a malformed `s3://` argument
   */
  nameLocations(args: (string | undefined)[], sign: boolean): number {
    let named = 0;
    for (const arg of args) {
      if (arg === undefined || !arg.startsWith(S3_SCHEME)) {
        continue;
      }
      const { bucket } = parseS3Uri(arg);
      if (!isEosBucket(bucket, this.store.ctx)) {
        this.store.locations.add({ uri: `${S3_SCHEME}${bucket}/`, sign });
        named++;
      }
    }
    return named;
  }

  /** The absolute path of a local argument (relative to the working directory). */
  abs(arg: string): string {
    return realish(path.resolve(this.cwd, arg));
  }

  /**
   * A local argument as the engine takes it: relative to the Jupyter root.
   *
   * @throws EosError `OutsideRoot` for a path outside the root
   */
  local(arg: string): string {
    const abs = this.abs(arg);
    const root = this.config.rootDir;
    if (!isInside(root, abs)) {
      throw new EosError(
        'OutsideRoot',
        `${JSON.stringify(arg)} is outside the Jupyter root ${root}: eos reads and writes local files only there, ` +
          'as the panel does (set EOS_ROOT_DIR to change it)'
      );
    }
    return path.relative(root, abs).split(path.sep).join('/');
  }

  /**
   * Make the last tries of the aborts S3 did not take (a service retries
   * them in the background for minutes; this process is about to end), tell
   * the running services what this command changed (best effort, a few
   * seconds at most), then stop the engine's job ticker and the S3 client's
   * connections, so the process can exit. Answers the multipart uploads
   * still open, for the user to be told.
   */
  async close(): Promise<UnfinishedAbort[]> {
    this._engine?.jobs.cancelAll();
    const unfinished = this._store ? await finishBackgroundAborts(LAST_ABORTS_MS) : [];
    await this.notifier?.close();
    this.disk?.close();
    this.client?.destroy();
    this._store?.destroy();
    return unfinished;
  }
}
