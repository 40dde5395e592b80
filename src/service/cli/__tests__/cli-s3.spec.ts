/**
 * `eos` on S3 locations outside EOS (issue 17): ls, cat/head, cp into EOS and
 * to the local disk, `--no-sign-request` for a public bucket, writes refused,
 * usage mistakes exit 2. The built command line against moto.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { createBucket, dropBucket, putObjects } from '../../__tests__/harness';
import { S3, cliSuite, objectBytes, uniqueName } from './cli-harness';

const t = cliSuite('cli-s3');
const OTHER = uniqueName('pub');
const PUBLIC = uniqueName('open');
const INDEX = Array.from({ length: 50 }, (_, i) => `HG${String(i).padStart(5, '0')}\tGBR\n`).join('');

beforeAll(async () => {
  for (const bucket of [OTHER, PUBLIC]) {
    await createBucket(t.client, bucket);
    await putObjects(t.client, bucket, {
      'phase3/index.tsv': INDEX,
      'phase3/data/a.txt': 'alpha',
      'phase3/data/b.txt': 'bravo'
    });
  }
  // Anyone may read PUBLIC (moto checks a HEAD as s3:HeadObject).
  const Statement = [
    {
      Effect: 'Allow',
      Principal: '*',
      Action: ['s3:GetObject', 's3:ListBucket', 's3:HeadObject'],
      Resource: [`arn:aws:s3:::${PUBLIC}`, `arn:aws:s3:::${PUBLIC}/*`]
    }
  ];
  await t.client.send(
    new PutBucketPolicyCommand({ Bucket: PUBLIC, Policy: JSON.stringify({ Version: '2012-10-17', Statement }) })
  );
});

afterAll(async () => {
  await dropBucket(t.client, OTHER);
  await dropBucket(t.client, PUBLIC);
});

describe('eos ls s3:// outside EOS', () => {
  it('lists one level and recursively', async () => {
    const run = await t.run(['ls', `s3://${OTHER}/phase3/`]);
    expect(run).toMatchObject({ code: 0, stdout: 'data/\nindex.tsv\n', stderr: '' });
    const deep = await t.run(['ls', '-r', `s3://${OTHER}/phase3/`]);
    expect(deep.stdout).toBe('data/a.txt\ndata/b.txt\nindex.tsv\n');
  });

  it('lists a public bucket with --no-sign-request, and an object the policy keeps closed is refused', async () => {
    const run = await t.run(['ls', '--no-sign-request', `s3://${PUBLIC}/phase3/data/`]);
    expect(run).toMatchObject({ code: 0, stdout: 'a.txt\nb.txt\n', stderr: '' });
    // Unsigned requests are anonymous: what the policy does not open stays closed.
    const closed = await t.run(['cat', '--no-sign-request', `s3://${OTHER}/phase3/data/a.txt`]);
    expect(closed.code).toBe(1);
    expect(closed.stderr).toMatch(/^eos: Access denied/);
  });

  it('--no-sign-request without an s3:// location outside EOS is a usage mistake (exit 2)', async () => {
    const run = await t.run(['ls', '--no-sign-request', t.base]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'eos: --no-sign-request applies to s3:// locations outside EOS, and no argument names one\n'
    );
    const bad = await t.run(['ls', 's3://Not_A_Bucket/']);
    expect(bad.code).toBe(2);
  });
});

describe('eos uri s3:// outside EOS', () => {
  it('prints its s3:// URI and the File(path_s3=…) snippet', async () => {
    const run = await t.run(['uri', '--json', `s3://${OTHER}/phase3/index.tsv`]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      s3: `s3://${OTHER}/phase3/index.tsv`,
      python: `File(path_s3="s3://${OTHER}/phase3/index.tsv")`
    });
  });
});

describe('eos cat / head s3://', () => {
  it('prints an object, signed and unsigned', async () => {
    const cat = await t.run(['cat', `s3://${OTHER}/phase3/data/a.txt`]);
    expect(cat).toMatchObject({ code: 0, stdout: 'alpha' });
    const head = await t.run(['head', '-n', '2', '--no-sign-request', `s3://${PUBLIC}/phase3/index.tsv`]);
    expect(head).toMatchObject({ code: 0, stdout: 'HG00000\tGBR\nHG00001\tGBR\n' });
  });
});

describe('eos cp from s3:// outside EOS', () => {
  it('copies into EOS (one object, and a prefix with -r)', async () => {
    const one = await t.run(['cp', `s3://${OTHER}/phase3/index.tsv`, `${t.base}refs/`]);
    expect(one.code).toBe(0);
    expect((await objectBytes(t.client, S3.orgBucket, `${t.prefix}refs/index.tsv`)).toString()).toBe(INDEX);
    const tree = await t.run(['cp', '-r', '--no-sign-request', `s3://${PUBLIC}/phase3/data/`, `${t.base}data/`]);
    expect(tree.code).toBe(0);
    expect(await t.keys('data/')).toEqual(['a.txt', 'b.txt']);
  });

  it('downloads to a local folder, byte-exact', async () => {
    fs.mkdirSync(path.join(t.root, 'local'));
    const run = await t.run(['cp', '--no-sign-request', `s3://${PUBLIC}/phase3/index.tsv`, 'local/']);
    expect(run.code).toBe(0);
    expect(fs.readFileSync(path.join(t.root, 'local', 'index.tsv'), 'utf8')).toBe(INDEX);
  });

  it('syncs a prefix to a local folder', async () => {
    const run = await t.run(['sync', '--no-sign-request', `s3://${PUBLIC}/phase3/data/`, 'synced/']);
    expect(run.code).toBe(0);
    expect(fs.readdirSync(path.join(t.root, 'synced')).sort()).toEqual(['a.txt', 'b.txt']);
    expect(fs.readFileSync(path.join(t.root, 'synced', 'b.txt'), 'utf8')).toBe('bravo');
  });

  it('never writes to an s3:// location outside EOS (exit 1, saying why)', async () => {
    fs.writeFileSync(path.join(t.root, 'up.txt'), 'up');
    const up = await t.run(['cp', 'up.txt', `s3://${OTHER}/phase3/`]);
    expect(up.code).toBe(1);
    expect(up.stderr).toMatch(/^eos: Cannot write to s3:\/\/.*: S3 locations outside EOS are read-only/);
    const rm = await t.run(['rm', `s3://${OTHER}/phase3/index.tsv`]);
    expect(rm.code).toBe(1);
    expect(rm.stderr).toContain('read-only');
  });
});
