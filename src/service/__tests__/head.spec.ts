/**
 * GET api/head (Peek): the first lines of an object by ranged GETs, gzip and
 * BGZF decompressed on the fly, reading stopped once enough lines are
 * decoded. The bytes S3 sent are counted by a proxy in front of moto, not by
 * the service itself.
 */
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { S3Client } from '@aws-sdk/client-s3';
import { FIRST_RANGE } from '../engine/read/objectreader';
import {
  Running,
  S3,
  deletePrefix,
  expectError,
  putObjects,
  startService,
  testClient,
  testConfig,
  uniqueName
} from './harness';

const F = uniqueName('head');
const ORG = `shared/files/${F}/`;

/** A deterministic pseudo-random generator (the data must not compress to nothing). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x80000000;
  };
}

function fastq(reads: number): string[] {
  const next = random(7);
  const lines: string[] = [];
  for (let i = 0; i < reads; i++) {
    const seq = Array.from({ length: 150 }, () => 'ACGT'[Math.floor(next() * 4)]).join('');
    const qual = Array.from({ length: 150 }, () => String.fromCharCode(33 + Math.floor(next() * 41))).join('');
    lines.push(`@read${i} 1:N:0:ACGT`, seq, '+', qual);
  }
  return lines;
}

function vcf(records: number): { header: string[]; records: string[] } {
  const next = random(11);
  const header = ['##fileformat=VCFv4.3', ...Array.from({ length: 60 }, (_, i) => `##contig=<ID=chr${i + 1}>`)];
  header.push('#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1');
  const rows = Array.from(
    { length: records },
    (_, i) =>
      `chr1\t${1000 + i * 37}\trs${Math.floor(next() * 1e7)}\tA\tG\t${Math.floor(next() * 99)}\tPASS\tDP=${Math.floor(next() * 60)}\tGT\t0/1`
  );
  return { header, records: rows };
}

/** Concatenated gzip members of at most `block` input bytes each, as BGZF writes them (with its empty last block). */
function bgzf(text: string, block = 65280): Buffer {
  const bytes = Buffer.from(text);
  const members: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += block) {
    members.push(gzipSync(bytes.subarray(i, i + block)));
  }
  members.push(gzipSync(Buffer.alloc(0)));
  return Buffer.concat(members);
}

/** An HTTP proxy in front of moto counting the body bytes of its GET answers. */
let proxy: http.Server;
let gotBytes = 0;
let client: S3Client;
let svc: Running;
const FASTQ = fastq(20000);
const VCF = vcf(30000);
let sizes: Record<string, number> = {};

beforeAll(async () => {
  const target = new URL(S3.endpoint);
  proxy = http.createServer((req, res) => {
    const up = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      answer => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.on('data', (chunk: Buffer) => {
          if (req.method === 'GET' && !(req.url ?? '').includes('list-type')) {
            gotBytes += chunk.length;
          }
          res.write(chunk);
        });
        answer.on('end', () => res.end());
      }
    );
    req.pipe(up);
  });
  await new Promise<void>(resolve => proxy.listen(0, '127.0.0.1', resolve));
  const port = (proxy.address() as AddressInfo).port;

  client = testClient();
  const objects = {
    [`${ORG}reads.fastq.gz`]: gzipSync(FASTQ.join('\n') + '\n'),
    [`${ORG}calls.vcf.gz`]: bgzf([...VCF.header, ...VCF.records].join('\n') + '\n'),
    [`${ORG}short.txt`]: 'one\r\ntwo\nthree',
    [`${ORG}broken.gz`]: Buffer.concat([gzipSync('fine\n').subarray(0, 12), Buffer.alloc(200, 7)])
  };
  sizes = Object.fromEntries(Object.entries(objects).map(([k, v]) => [k.slice(ORG.length), Buffer.from(v).length]));
  await putObjects(client, S3.orgBucket, objects);
  svc = await startService(testConfig(), { s3Client: testClient({ endpoint: `http://127.0.0.1:${port}` }) });
});

afterAll(async () => {
  await svc.close();
  await new Promise(resolve => proxy.close(resolve));
  await deletePrefix(client, S3.orgBucket, ORG);
  client.destroy();
});

const head = async (name: string, query: Record<string, string | number> = {}) => {
  gotBytes = 0;
  const reply = await svc.get('/api/head', { uri: `e://org/${F}/${name}`, ...query });
  return { reply, got: gotBytes };
};

it('peeks the first reads of a gzip FASTQ reading one range, as S3 counts it', async () => {
  const { reply, got } = await head('reads.fastq.gz', { lines: 40 });
  expect(reply.status).toBe(200);
  expect(reply.body.lines).toEqual(FASTQ.slice(0, 40));
  expect(reply.body).toMatchObject({ compressed: true, complete: false, size: sizes['reads.fastq.gz'], header: [] });
  // The object is megabytes; one first range was enough, and the service says what it read.
  expect(sizes['reads.fastq.gz']).toBeGreaterThan(15 * FIRST_RANGE);
  expect(reply.body.bytesRead).toBe(FIRST_RANGE);
  expect(got).toBe(reply.body.bytesRead);
});

it('reads further ranges only as more lines are wanted', async () => {
  const { reply, got } = await head('reads.fastq.gz', { lines: 10000 });
  expect(reply.body.lines).toEqual(FASTQ.slice(0, 10000));
  expect(reply.body.bytesRead).toBeGreaterThan(FIRST_RANGE);
  expect(reply.body.bytesRead).toBeLessThan(sizes['reads.fastq.gz']);
  expect(got).toBe(reply.body.bytesRead);
});

it('peeks a BGZF VCF: header lines apart, then the first records', async () => {
  const { reply, got } = await head('calls.vcf.gz', { lines: 5, header: '#' });
  expect(reply.status).toBe(200);
  expect(reply.body.header).toEqual(VCF.header);
  expect(reply.body.lines).toEqual(VCF.records.slice(0, 5));
  expect(reply.body.compressed).toBe(true);
  expect(reply.body.bytesRead).toBe(FIRST_RANGE);
  expect(got).toBe(FIRST_RANGE);
  expect(sizes['calls.vcf.gz']).toBeGreaterThan(5 * FIRST_RANGE);

  // Records beyond the first gzip members are decoded across member boundaries.
  const far = await head('calls.vcf.gz', { lines: 8000, header: '#' });
  expect(far.reply.body.lines).toEqual(VCF.records.slice(0, 8000));
});

it('reads a small plain object to its end', async () => {
  const { reply } = await head('short.txt', { lines: 10 });
  expect(reply.body).toMatchObject({
    lines: ['one', 'two', 'three'],
    compressed: false,
    complete: true,
    bytesRead: sizes['short.txt']
  });
});

it('answers clear errors', async () => {
  expectError((await head('broken.gz')).reply, 400, 'InvalidRequest', 'is not readable as gzip');
  expectError((await head('missing.fastq')).reply, 404, 'NotFound');
  expectError((await head('short.txt', { lines: 0 })).reply, 400, 'InvalidRequest', "'lines'");
  expectError(await svc.get('/api/head', { uri: `e://org/${F}/` }), 400, 'InvalidRequest', 'is a folder');
});
