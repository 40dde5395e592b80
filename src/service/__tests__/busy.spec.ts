/**
 * More S3 calls at once than the old socket cap (64): each reaches S3.
 *
 * With the client's agent capped, the calls beyond the cap waited in the
 * agent's queue while the SDK's connection timer (3 s) ran, and failed as
 * "S3 ... did not answer in time" without ever being sent (bench/load.mjs:
 * 39 of 200 concurrent lists). The fake S3 here answers nobody until it holds
 * every request, as a slow S3 holds sockets under load.
 */
import { Running, startOnFakeS3 } from './harness';

/** More than the 64 sockets the client used to allow. */
const AT_ONCE = 80;

let svc: Running;
let close: () => Promise<void>;
const held: (() => void)[] = [];
const answerAll = () => held.splice(0).forEach(answer => answer());

/** A one-object ListObjectsV2 page of the folder the request names. */
function listing(url: string): string {
  const prefix = new URL(url, 'http://s3').searchParams.get('prefix') ?? '';
  return (
    '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
    `<Name>b</Name><Prefix>${prefix}</Prefix><KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys>` +
    `<IsTruncated>false</IsTruncated><Contents><Key>${prefix}a.txt</Key><Size>1</Size>` +
    '<LastModified>2026-01-01T00:00:00.000Z</LastModified><ETag>"x"</ETag></Contents></ListBucketResult>'
  );
}

beforeAll(async () => {
  ({ svc, close } = await startOnFakeS3((req, res) => {
    held.push(() => res.writeHead(200, { 'Content-Type': 'application/xml' }).end(listing(req.url ?? '/')));
    if (held.length >= AT_ONCE) {
      answerAll();
    }
  }, AT_ONCE * 2));
});

afterAll(() => close());

it(`sends ${AT_ONCE} lists to S3 at once, none waiting for a socket until it times out`, async () => {
  // Whoever arrived is answered after 12 s anyway: calls still queued by then (3 attempts of 3 s) have failed.
  const fallback = setTimeout(answerAll, 12000);
  const replies = await Promise.all(
    Array.from({ length: AT_ONCE }, (_, i) => svc.get('/api/list', { uri: `e://org/busy-${i}/` }))
  );
  clearTimeout(fallback);
  const failed = replies.filter(r => r.status !== 200).map(r => r.raw);
  expect(failed).toEqual([]);
  expect(replies.every(r => r.body.entries.length === 1)).toBe(true);
}, 30000);
