/**
 * The transfer threads load no SDK client (s3/lentwire.ts): routes and
 * credentials are lent by the service's client. A public location is read
 * unsigned with no credentials asked for; a signed GET without credentials
 * fails as NoCredentials until some are found; S3's refusals keep their
 * typed errors after the retries.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { s3Proxy, sha256 } from './transfer-helpers';
import { SMALL, lentThreads, noBytes, root, task, threadsSuite } from './threads-fixture';

threadsSuite();

describe('a download thread', () => {
  it('reads a public location unsigned with no credentials at all, sending no signature', async () => {
    // The test S3 refuses anonymous reads of its buckets: the proxy answers as a public bucket would.
    const proxy = await s3Proxy(undefined, () => ({ status: 200, body: 'abc' }));
    const threads = lentThreads(() => Promise.reject(new Error('no credentials may be asked for')), proxy.url);
    try {
      const file = { path: path.join(root, 'public.txt'), create: true, setTimes: false };
      await threads.fetch(task({ unsigned: true, length: 3 }), file, noBytes, new AbortController().signal);
      expect(fs.readFileSync(file.path, 'utf8')).toBe('abc');
      expect(proxy.requests).toHaveLength(1);
      expect(proxy.requests[0].headers.authorization).toBeUndefined();
      expect(proxy.requests[0].headers['x-amz-date']).toBeUndefined();
    } finally {
      await threads.close();
      await proxy.close();
    }
  });

  it('fails a signed GET as NoCredentials when the client finds none, and gets the next once it does', async () => {
    let found = false;
    const threads = lentThreads(async () => {
      if (!found) {
        const err = new Error('Could not load credentials from any providers');
        err.name = 'CredentialsProviderError';
        throw err;
      }
      return { accessKeyId: 'testing', secretAccessKey: 'testing', clockOffsetMs: 0 };
    });
    try {
      const file = { path: path.join(root, 'nocreds.txt'), create: true, setTimes: false };
      await expect(threads.fetch(task(), file, noBytes, new AbortController().signal)).rejects.toMatchObject({
        code: 'NoCredentials'
      });
      fs.rmSync(file.path, { force: true });
      found = true;
      await threads.fetch(task(), file, noBytes, new AbortController().signal);
      expect(sha256(fs.readFileSync(file.path))).toBe(sha256(SMALL[5]));
    } finally {
      await threads.close();
    }
  });

  it('answers S3 refusing a GET with its typed error, after the retries of a 503', async () => {
    let n = 0;
    const proxy = await s3Proxy(undefined, () =>
      ++n === 1
        ? { status: 503, body: '<Error><Code>SlowDown</Code><Message>Reduce your request rate</Message></Error>' }
        : { status: 403, body: '<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>' }
    );
    const threads = lentThreads(
      async () => ({ accessKeyId: 'testing', secretAccessKey: 'testing', clockOffsetMs: 0 }),
      proxy.url
    );
    try {
      const file = { path: path.join(root, 'denied.txt'), create: true, setTimes: false };
      await expect(threads.fetch(task(), file, noBytes, new AbortController().signal)).rejects.toMatchObject({
        code: 'AccessDenied',
        s3: { code: 'AccessDenied', status: 403, attempts: 2 }
      });
      expect(n).toBe(2);
      fs.rmSync(file.path, { force: true });
    } finally {
      await threads.close();
      await proxy.close();
    }
  });
});
