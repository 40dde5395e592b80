/**
 * The command line, the environment, and the S3 client built from them.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { ConfigError, loadConfig, parseArgs } from '../engine/config';
import { createS3Client, endpointLabel } from '../engine/s3/client';
import { S3_MAX_ATTEMPTS } from '../engine/s3/limits';
import { GET_WORKER_BUNDLE, downloadFigures, downloadSetup, downloadThreadsBeside } from '../engine/transfer/threads';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const USER = 'D3FCAF74-2152-4ED5-9834-9ECB1DB4DD6C';
const ORG = 'c4b6da6d-8e1f-4c7a-9b2d-5a0e3f6c1d27';
const IDS = { GENCOVE_USER_ID: USER, GENCOVE_ORGANIZATION_ID: ORG };

let tmp: string;
beforeAll(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'eos-config-')));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('parseArgs', () => {
  it.each([[['--socket', '/run/eos.sock']], [['--socket=/run/eos.sock']]])('reads %j', argv => {
    expect(parseArgs(argv)).toEqual({ socket: '/run/eos.sock' });
  });

  it.each([[[]], [['--socket']], [['--socket=']], [['--port', '8080']]])('refuses %j with exit code 2', argv => {
    let error: unknown;
    try {
      parseArgs(argv);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(2);
    expect((error as ConfigError).message).toContain('usage: eos-service --socket <path>');
  });
});

describe('loadConfig', () => {
  it('builds the context from the ids, deriving the buckets', () => {
    const config = loadConfig(IDS, tmp);
    expect(config.context).toEqual({
      userId: USER.toLowerCase(),
      orgId: ORG,
      orgBucket: 'gencove-explorer-c4b6da6d8e1f',
      gencoveBucket: 'gencove-explorer-data'
    });
    expect(config.contextProblem).toBeNull();
  });

  it('takes bucket overrides', () => {
    const config = loadConfig({ ...IDS, EOS_ORG_BUCKET: 'my-org', EOS_GENCOVE_BUCKET: 'my-data' }, tmp);
    expect(config.context).toMatchObject({ orgBucket: 'my-org', gencoveBucket: 'my-data' });
  });

  it.each([
    [{}, ['GENCOVE_USER_ID and GENCOVE_ORGANIZATION_ID']],
    [{ GENCOVE_USER_ID: USER }, ['set GENCOVE_ORGANIZATION_ID']],
    [{ GENCOVE_ORGANIZATION_ID: ORG, GENCOVE_USER_ID: '  ' }, ['set GENCOVE_USER_ID']],
    [{ GENCOVE_ORGANIZATION_ID: ORG, GENCOVE_USER_ID: 'bob' }, ['"bob" is not a UUID', 'GENCOVE_USER_ID']]
  ])('starts unconfigured for %j, naming what to set', (env, parts) => {
    const config = loadConfig(env, tmp);
    expect(config.context).toBeNull();
    for (const part of parts) {
      expect(config.contextProblem).toContain(part);
    }
  });

  it.each([
    [
      { EOS_ENDPOINT_URL: 'http://a:1', AWS_ENDPOINT_URL_S3: 'http://b:1', AWS_ENDPOINT_URL: 'http://c:1' },
      'http://a:1'
    ],
    [{ EOS_ENDPOINT_URL: ' ', AWS_ENDPOINT_URL_S3: 'http://b:1', AWS_ENDPOINT_URL: 'http://c:1' }, 'http://b:1'],
    [{ AWS_ENDPOINT_URL: 'http://c:1' }, 'http://c:1'],
    [{}, undefined]
  ])('takes the endpoint from %j', (env, endpoint) => {
    expect(loadConfig({ ...IDS, ...env }, tmp).endpoint).toBe(endpoint);
  });

  it.each(['not a url', 'ftp://host/'])('refuses the endpoint %j', endpoint => {
    expect(() => loadConfig({ EOS_ENDPOINT_URL: endpoint }, tmp)).toThrow(ConfigError);
  });

  it.each([
    [{ EOS_REGION: 'eu-west-1', AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'ap-south-1' }, 'eu-west-1'],
    [{ AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'ap-south-1' }, 'us-west-2'],
    [{ AWS_DEFAULT_REGION: 'ap-south-1' }, 'ap-south-1'],
    [{}, 'us-east-1']
  ])('takes the region from %j', (env, region) => {
    expect(loadConfig(env, tmp).region).toBe(region);
  });

  it('resolves the root dir to an absolute real path', () => {
    fs.mkdirSync(path.join(tmp, 'real'), { recursive: true });
    fs.symlinkSync(path.join(tmp, 'real'), path.join(tmp, 'link'));
    expect(loadConfig({ EOS_ROOT_DIR: path.join(tmp, 'link') }, '/').rootDir).toBe(path.join(tmp, 'real'));
    expect(loadConfig({ EOS_ROOT_DIR: 'link' }, tmp).rootDir).toBe(path.join(tmp, 'real'));
    expect(loadConfig({}, path.join(tmp, 'link')).rootDir).toBe(path.join(tmp, 'real'));
  });

  it('refuses a root dir that does not exist', () => {
    expect(() => loadConfig({ EOS_ROOT_DIR: path.join(tmp, 'missing') }, tmp)).toThrow(/does not exist/);
  });

  it('reads the disk limit in bytes', () => {
    expect(loadConfig({}, tmp).diskLimit).toBe(200e9);
    expect(loadConfig({ EOS_DISK_LIMIT: '1073741824' }, tmp).diskLimit).toBe(1073741824);
  });

  it('verifies checksums unless EOS_VERIFY_CHECKSUMS says false (or 0); refuses another value', () => {
    expect(loadConfig({}, tmp).verifyChecksums).toBe(true);
    expect(loadConfig({ EOS_VERIFY_CHECKSUMS: 'FALSE' }, tmp).verifyChecksums).toBe(false);
    expect(loadConfig({ EOS_VERIFY_CHECKSUMS: '0' }, tmp).verifyChecksums).toBe(false);
    expect(loadConfig({ EOS_VERIFY_CHECKSUMS: '1' }, tmp).verifyChecksums).toBe(true);
    expect(() => loadConfig({ EOS_VERIFY_CHECKSUMS: 'no' }, tmp)).toThrow(/EOS_VERIFY_CHECKSUMS must be true or false/);
  });

  it('keeps the jobs journal in EOS_STATE_DIR, else under XDG_STATE_HOME, else ~/.local/state', () => {
    expect(loadConfig({ EOS_STATE_DIR: '/var/eos' }, tmp).stateDir).toBe('/var/eos');
    expect(loadConfig({ EOS_STATE_DIR: 'state' }, tmp).stateDir).toBe(path.join(tmp, 'state'));
    expect(loadConfig({ XDG_STATE_HOME: '/x/state', HOME: '/home/u' }, tmp).stateDir).toBe('/x/state/jupyterlab-eos');
    expect(loadConfig({ XDG_STATE_HOME: 'relative', HOME: '/home/u' }, tmp).stateDir).toBe(
      '/home/u/.local/state/jupyterlab-eos'
    );
    expect(loadConfig({ HOME: '/home/u' }, tmp).stateDir).toBe('/home/u/.local/state/jupyterlab-eos');
  });

  it.each(['0', '-1', '1.5', '200GB', '99999999999999999999'])('refuses the disk limit %j', limit => {
    expect(() => loadConfig({ EOS_DISK_LIMIT: limit }, tmp)).toThrow(/EOS_DISK_LIMIT/);
  });
});

describe('createS3Client', () => {
  it('uses path-style addressing with a custom endpoint', async () => {
    const client = createS3Client({ endpoint: 'http://127.0.0.1:9', region: 'eu-west-1' });
    expect(client.config.forcePathStyle).toBe(true);
    expect(await client.config.region()).toBe('eu-west-1');
    expect(await client.config.maxAttempts()).toBe(S3_MAX_ATTEMPTS);
    client.destroy();
  });

  it('uses virtual-hosted addressing on AWS', () => {
    const client = createS3Client({ endpoint: undefined, region: 'us-east-1' });
    expect(client.config.forcePathStyle).toBe(false);
    client.destroy();
  });

  it('labels the endpoint for messages', () => {
    expect(endpointLabel({ endpoint: 'http://x:1', region: 'us-east-1' })).toBe('http://x:1');
    expect(endpointLabel({ endpoint: undefined, region: 'eu-west-1' })).toBe('AWS S3 (eu-west-1)');
  });
});

describe('transfer figures', () => {
  it('follow the machine: one thread per core, ranges, parts and files in flight from the threads', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'bundle-'));
    fs.writeFileSync(path.join(dir, GET_WORKER_BUNDLE), '');
    const cores = availableParallelism();
    expect(downloadThreadsBeside(dir)?.threads).toBe(cores);
    expect(downloadSetup(dir, loadConfig({ ...IDS }, tmp).transfers)).toEqual({
      downloadThreads: { script: path.join(dir, GET_WORKER_BUNDLE), threads: cores },
      filesInFlight: Math.min(64, Math.max(16, 8 * cores)),
      maxFilesInFlight: 256,
      rangesInFlight: Math.max(8, 2 * cores),
      partsInFlight: Math.max(8, 2 * cores)
    });
    // Files in flight start from the threads and may rise to 256 (64 on the calling thread).
    const eight = { threads: 8, filesInFlight: 64, maxFilesInFlight: 256, rangesInFlight: 16, partsInFlight: 16 };
    expect(downloadFigures({}, 8)).toEqual(eight);
    expect(downloadFigures({}, 1)).toEqual({
      threads: 1,
      filesInFlight: 16,
      maxFilesInFlight: 256,
      rangesInFlight: 8,
      partsInFlight: 8
    });
    expect(downloadFigures({ threads: 0 }, 8)).toMatchObject({ filesInFlight: 16, maxFilesInFlight: 64 });
  });

  it('are overridden in the environment; 0 threads runs the GETs on the calling thread', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'bundle-'));
    fs.writeFileSync(path.join(dir, GET_WORKER_BUNDLE), '');
    const env = {
      ...IDS,
      EOS_TRANSFER_THREADS: '6',
      EOS_FILES_IN_FLIGHT: '200',
      EOS_RANGES_IN_FLIGHT: '3',
      EOS_PARTS_IN_FLIGHT: '5'
    };
    const transfers = loadConfig(env, tmp).transfers;
    expect(transfers).toEqual({ threads: 6, filesInFlight: 200, rangesInFlight: 3, partsInFlight: 5 });
    expect(downloadSetup(dir, transfers)).toMatchObject({
      downloadThreads: { threads: 6 },
      // Files in flight set: that many, never raised.
      filesInFlight: 200,
      maxFilesInFlight: 200,
      rangesInFlight: 3,
      partsInFlight: 5
    });
    // The older name still works; the newer one wins when both are set.
    expect(loadConfig({ ...IDS, EOS_DOWNLOAD_THREADS: '3' }, tmp).transfers).toEqual({ threads: 3 });
    expect(loadConfig({ ...IDS, EOS_DOWNLOAD_THREADS: '3', EOS_TRANSFER_THREADS: '2' }, tmp).transfers).toEqual({
      threads: 2
    });
    expect(downloadSetup(dir, loadConfig({ ...IDS, EOS_TRANSFER_THREADS: '0' }, tmp).transfers)).toEqual({
      downloadThreads: undefined,
      filesInFlight: 16,
      maxFilesInFlight: 64,
      rangesInFlight: 8,
      partsInFlight: 8
    });
    for (const [name, value] of [
      ['EOS_TRANSFER_THREADS', '-1'],
      ['EOS_DOWNLOAD_THREADS', '65'],
      ['EOS_FILES_IN_FLIGHT', '0'],
      ['EOS_RANGES_IN_FLIGHT', 'four'],
      ['EOS_PARTS_IN_FLIGHT', '65']
    ]) {
      expect(() => loadConfig({ ...IDS, [name]: value }, tmp)).toThrow(ConfigError);
    }
  });
});
