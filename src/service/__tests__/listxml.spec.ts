/**
 * ListObjectsV2 pages read with saxes (s3/listxml.ts) equal the SDK's own
 * reading of the same answers, member for member: odd keys (XML's special
 * characters, control characters, non-BMP), folders, continuation, StartAfter,
 * owners, with and without URL encoding. An error answer, and a 200 whose
 * body is not a well-formed ListBucketResult, reach the caller exactly as the
 * SDK alone reports them. Runs on moto and versitygw (jest.config.js).
 */
import { Readable } from 'node:stream';
import {
  ChecksumAlgorithm,
  ListObjectsV2Command,
  ListObjectsV2CommandInput,
  PutObjectCommand,
  S3Client
} from '@aws-sdk/client-s3';
import { HttpResponse } from '@smithy/core/protocols';
import { listPage } from '../engine/s3/listing';
import { readListBody, sendListObjectsV2 } from '../engine/s3/listxml';
import { S3, deletePrefix, testClient, uniqueName } from './harness';

const F = uniqueName('listxml');
const DIR = `shared/files/${F}/`;
const NAMES = [
  'plain.txt',
  'a&b <c> "d" \'e\'.txt',
  'a+b c%20d.txt',
  '😀 smile.txt',
  '\uff21-fullwidth.txt',
  'tab\there.txt',
  'line\nfeed.txt',
  'carriage\rreturn.txt',
  // versitygw lists a C0 control character as U+FFFD, both readings alike.
  'bell\u0007.txt',
  'sub/one.txt',
  'sub/two.txt',
  'sub/deeper/three.txt',
  'other/x.txt'
];

let client: S3Client;

beforeAll(async () => {
  client = testClient();
  for (const [i, name] of NAMES.entries()) {
    const Body = Buffer.from(`body ${i}`);
    await client.send(
      new PutObjectCommand({
        Bucket: S3.orgBucket,
        Key: DIR + name,
        Body,
        ContentLength: Body.length,
        ...(i % 2 === 0 ? { ChecksumAlgorithm: ChecksumAlgorithm.CRC64NVME } : {})
      })
    );
  }
}, 120000);

afterAll(async () => {
  await deletePrefix(client, S3.orgBucket, DIR);
  client.destroy();
});

/** An answer without the members that differ from request to request. */
function members(output: object): object {
  const { $metadata, ...rest } = output as { $metadata: object };
  expect($metadata).toMatchObject({ httpStatusCode: 200 });
  return rest;
}

const inputs: [string, Omit<ListObjectsV2CommandInput, 'Bucket'>][] = [
  // Not encoded, moto answers the bell character raw, which XML 1.0 does not allow: saxes refuses
  // the page and the SDK's lenient parser reads it.
  ['a whole folder, not URL-encoded', { Prefix: DIR }],
  ['a whole folder', { Prefix: DIR, EncodingType: 'url' }],
  ['one level, with folders', { Prefix: DIR, Delimiter: '/', EncodingType: 'url' }],
  ['a page of three, truncated', { Prefix: DIR, MaxKeys: 3, EncodingType: 'url' }],
  ['after a key', { Prefix: DIR, StartAfter: `${DIR}plain.txt`, EncodingType: 'url' }],
  ['with owners', { Prefix: DIR, FetchOwner: true, EncodingType: 'url' }],
  ['a prefix that matches nothing', { Prefix: `${DIR}nothing-here/`, EncodingType: 'url' }]
];

it.each(inputs)('reads %s as the SDK does', async (_, input) => {
  const request = { Bucket: S3.orgBucket, ...input };
  const fast = await sendListObjectsV2(client, request, AbortSignal.timeout(30000));
  const sdk = await client.send(new ListObjectsV2Command(request));
  expect(members(fast)).toEqual(members(sdk));
  if (input.Prefix === DIR && !input.MaxKeys && !input.Delimiter && !input.StartAfter && !input.FetchOwner) {
    expect(fast.Contents).toHaveLength(NAMES.length);
  }
});

it('reads a continuation page as the SDK does', async () => {
  const first = await sendListObjectsV2(
    client,
    { Bucket: S3.orgBucket, Prefix: DIR, MaxKeys: 4, EncodingType: 'url' },
    AbortSignal.timeout(30000)
  );
  expect(first.IsTruncated).toBe(true);
  const request = {
    Bucket: S3.orgBucket,
    Prefix: DIR,
    MaxKeys: 4,
    EncodingType: 'url' as const,
    ContinuationToken: first.NextContinuationToken
  };
  const fast = await sendListObjectsV2(client, request, AbortSignal.timeout(30000));
  const sdk = await client.send(new ListObjectsV2Command(request));
  expect(members(fast)).toEqual(members(sdk));
  expect(fast.Contents!.map(o => o.Key)).not.toContain(first.Contents![0].Key);
});

it('throws what the SDK throws for an error answer', async () => {
  const request = { Bucket: `${S3.orgBucket}-not-there`, Prefix: DIR };
  const fast = await sendListObjectsV2(client, request, AbortSignal.timeout(30000)).catch(e => e);
  const sdk = await client.send(new ListObjectsV2Command(request)).catch(e => e);
  expect(fast).toBeInstanceOf(Error);
  expect(fast.name).toBe(sdk.name);
  expect(fast.name).toBe('NoSuchBucket');
  expect(fast.$metadata.httpStatusCode).toBe(404);
  expect(fast.constructor).toBe(sdk.constructor);
});

describe('a 200 answer that is not a ListBucketResult', () => {
  /** A client whose every answer is 200 with `body`. */
  const answering = (body: string) =>
    testClient({
      maxAttempts: 1,
      requestHandler: {
        handle: async () => ({
          response: new HttpResponse({
            statusCode: 200,
            headers: { 'content-type': 'application/xml', 'x-amz-request-id': 'R1' },
            body: Readable.from([Buffer.from(body)])
          })
        })
      }
    });

  it.each([
    ['an S3 error document', '<?xml version="1.0"?><Error><Code>InternalError</Code><Message>no</Message></Error>'],
    ['broken XML', '<ListBucketResult><Contents><Key>a</Key></ListBucketResult>'],
    [
      'a size that is not a number',
      '<ListBucketResult><Contents><Key>a</Key><Size>ten</Size></Contents></ListBucketResult>'
    ],
    ['not XML at all', 'Service Unavailable']
  ])('%s goes to the SDK, which answers as it always does', async (_, body) => {
    const request = { Bucket: 'b', Prefix: 'p/' };
    const fast = await sendListObjectsV2(answering(body), request, AbortSignal.timeout(30000)).then(
      value => ({ value }),
      error => ({ error: `${error?.name}: ${error?.message}` })
    );
    const sdk = await answering(body)
      .send(new ListObjectsV2Command(request))
      .then(
        value => ({ value }),
        error => ({ error: `${error?.name}: ${error?.message}` })
      );
    expect(fast).toEqual(sdk);
  });

  it('reads a body given as bytes, not a stream', async () => {
    const xml =
      '<ListBucketResult><Name>b</Name><KeyCount>1</KeyCount><Contents><Key>k</Key><Size>3</Size></Contents></ListBucketResult>';
    const bytes = testClient({
      maxAttempts: 1,
      requestHandler: {
        handle: async () => ({ response: new HttpResponse({ statusCode: 200, headers: {}, body: Buffer.from(xml) }) })
      }
    });
    const page = await sendListObjectsV2(bytes, { Bucket: 'b' }, AbortSignal.timeout(30000));
    expect(page).toMatchObject({ Name: 'b', KeyCount: 1, Contents: [{ Key: 'k', Size: 3 }] });
  });

  it('still gives the metadata and header members from the SDK for a page read here', async () => {
    const page = await sendListObjectsV2(
      answering(
        '<ListBucketResult><Name>b</Name><KeyCount>0</KeyCount><IsTruncated>false</IsTruncated></ListBucketResult>'
      ),
      { Bucket: 'b' },
      AbortSignal.timeout(30000)
    );
    expect(page).toMatchObject({ Name: 'b', KeyCount: 0, IsTruncated: false, $metadata: { requestId: 'R1' } });
  });
});

describe('readListBody', () => {
  it('reads an indented page with entities, CDATA and members it does not know', () => {
    const xml = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
      '  <Name>bucket</Name>',
      '  <Prefix></Prefix>',
      '  <MaxKeys>1000</MaxKeys>',
      '  <IsTruncated>false</IsTruncated>',
      '  <Unknown><Key>not an object</Key></Unknown>',
      '  <Contents>',
      '    <Key>a &amp; b &#x1F600; &lt;c&gt;</Key>',
      '    <LastModified>2026-12-06T06:07:38.000Z</LastModified>',
      '    <ETag>&quot;0f34&quot;</ETag>',
      '    <ChecksumAlgorithm>CRC32</ChecksumAlgorithm>',
      '    <ChecksumAlgorithm>CRC64NVME</ChecksumAlgorithm>',
      '    <Size>1024</Size>',
      '    <Owner><ID>id1</ID><DisplayName/></Owner>',
      '    <Extra>left out</Extra>',
      '  </Contents>',
      '  <Contents><Key><![CDATA[x<y]]></Key><Size>0</Size></Contents>',
      '  <CommonPrefixes><Prefix>d/</Prefix></CommonPrefixes>',
      '</ListBucketResult>'
    ].join('\n');
    expect(readListBody(xml)).toEqual({
      Name: 'bucket',
      Prefix: '',
      MaxKeys: 1000,
      IsTruncated: false,
      Contents: [
        {
          Key: 'a & b 😀 <c>',
          LastModified: new Date('2026-12-06T06:07:38.000Z'),
          ETag: '"0f34"',
          ChecksumAlgorithm: ['CRC32', 'CRC64NVME'],
          Size: 1024,
          Owner: { ID: 'id1', DisplayName: '' }
        },
        { Key: 'x<y', Size: 0 }
      ],
      CommonPrefixes: [{ Prefix: 'd/' }]
    });
  });

  it.each([
    ['another root', '<Error><Code>SlowDown</Code></Error>'],
    ['unclosed', '<ListBucketResult><Name>b</Name>'],
    ['a flag that is not one', '<ListBucketResult><IsTruncated>yes</IsTruncated></ListBucketResult>'],
    [
      'a date that is not one',
      '<ListBucketResult><Contents><LastModified>soon</LastModified></Contents></ListBucketResult>'
    ],
    ['an empty size', '<ListBucketResult><Contents><Size></Size></Contents></ListBucketResult>'],
    ['nothing', '']
  ])('answers undefined for %s', (_, xml) => {
    expect(readListBody(xml)).toBeUndefined();
  });
});

it('lists a key holding a carriage return as it was written (through listPage, which asks for URL encoding)', async () => {
  const page = await listPage(client, { Bucket: S3.orgBucket, Prefix: `${DIR}carriage` }, AbortSignal.timeout(30000));
  expect(page.Contents?.map(o => o.Key)).toEqual([`${DIR}carriage\rreturn.txt`]);
});
