/**
 * The S3 server of this jest worker (moto, or versitygw in the `versitygw`
 * project; one per worker, test/workers.js), where it differs from S3, and
 * clients for it with the test credentials.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';

/** What test/moto-global-setup.js or test/versitygw-global-setup.js started. */
export interface TestS3 {
  /** Which server: the store-level specs run against both (jest.config.js). */
  server: 'moto' | 'versitygw';
  endpoint: string;
  userId: string;
  orgId: string;
  otherUserId: string;
  orgBucket: string;
  gencoveBucket: string;
}

/** This worker's own server: the global set-ups start one per jest worker (test/workers.js). */
function ownServer(json: string | undefined): TestS3 | null {
  const servers: TestS3[] | null = JSON.parse(json ?? 'null');
  const worker = Number(process.env.JEST_WORKER_ID ?? '1');
  return servers && servers.length > 0 ? servers[(worker - 1) % servers.length] : null;
}

export const S3: TestS3 = ownServer(process.env.EOS_TEST_S3)!;
if (!S3) {
  throw new Error('EOS_TEST_S3 is not set: run the service tests through jest (test/moto-global-setup.js)');
}

/** Whether the tests run against versitygw (else moto). */
export const VERSITYGW = S3.server === 'versitygw';

/**
 * Where moto differs from S3's documented behaviour: a test of that
 * behaviour runs on versitygw only (`itExceptOn('moto', ...)`).
 */
export const MOTO_DIFFERS = {
  atomicComplete:
    'moto does not enforce If-None-Match: * atomically on CompleteMultipartUpload (two concurrent completes both succeed)',
  presignChecks: 'moto checks neither the signature nor the expiry of a presigned URL',
  disposition: 'moto ignores response-content-disposition on a presigned GET',
  checksums:
    'moto 5.2.1 stores the checksum a client sends without checking it against the bytes (S3 refuses BadDigest)',
  initiated: 'moto 5.2.1 lists every multipart upload as initiated at 2010-11-10T20:48:33Z'
} as const;

/**
 * What versitygw v1.8.0 (posix backend) cannot do that S3 does: a test that
 * needs it runs on moto only (`itExceptOn('versitygw', ...)`), or leaves the
 * key out there (with a comment naming the limit).
 */
export const VERSITYGW_LACKS = {
  objectAndFolder: 'versitygw posix: keys are paths, so `a` cannot be an object and a folder (`a/b`) at once',
  emptySegment: 'versitygw posix: keys are paths, so `a//b` is stored and listed as `a/b`',
  encodedListing:
    'versitygw ignores EncodingType=url: keys holding C0 control characters (not tab, LF, CR) list as U+FFFD',
  sessionTokens: 'versitygw has no STS: it refuses every session token',
  copyMarker: 'versitygw refuses CopyObject onto a folder marker (`a/`): DirectoryObjectContainsData, even for 0 bytes',
  abortedComplete:
    'versitygw answers 200 to CompleteMultipartUpload of an upload already aborted, and writes nothing (S3: 404 NoSuchUpload)'
} as const;

/** A test function as `it` takes it. */
type TestFn = (name: string, fn: jest.ProvidesCallback, timeout?: number) => void;

/**
 * `it`, or `it.skip` on `server` for a case it cannot do as S3 does; the
 * skipped test's name says why (`limit`, from MOTO_DIFFERS or VERSITYGW_LACKS).
 */
export function itExceptOn(server: TestS3['server'], limit: string): TestFn {
  return (name, fn, timeout) =>
    S3.server === server ? it.skip(`${name} [not on ${server}: ${limit}]`, fn, timeout) : it(name, fn, timeout);
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NOT_IN_XML = /[\x00-\x08\x0B\x0C\x0E-\x1F]/g;

/** `key` as a listing names it: itself, but on versitygw with U+FFFD for a control character (VERSITYGW_LACKS.encodedListing). */
export function asListed(key: string): string {
  return VERSITYGW ? key.replace(NOT_IN_XML, '\uFFFD') : key;
}

// The service's own clients use the SDK's default chain: give it the server's credentials (both take these).
process.env.AWS_ACCESS_KEY_ID = 'testing';
process.env.AWS_SECRET_ACCESS_KEY = 'testing';
process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
delete process.env.AWS_PROFILE;
delete process.env.AWS_SESSION_TOKEN;

/** A short random name, unique per suite, for folders and buckets. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

export { randomUUID };

/** An S3 client for the test server, with static test credentials unless overridden. */
export function testClient(overrides: Partial<S3ClientConfig> = {}): S3Client {
  return new S3Client({
    region: 'us-east-1',
    endpoint: S3.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    ...overrides
  });
}
