/**
 * Interoperability with a client no one here wrote: what `eos cp` uploads,
 * `aws s3 cp` (aws-cli from PyPI, in the project's venv) downloads
 * byte-exact, and the other way round, for odd key names and for objects
 * big enough for both sides' multipart transfers.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { S3, cliSuite, eos } from './cli-harness';

const { projectPython } = require('../../../../test/python');

const AWS = path.join(path.dirname(projectPython()), 'aws');
const t = cliSuite('cli-interop');
const { prefix, base } = t;
let root: string;
const s3Base = `s3://${S3.orgBucket}/${prefix}`;

/** Names aws-cli takes in an s3:// argument verbatim. */
const ODD = [
  'with space.txt',
  'plus+sign.txt',
  'hash#tag.txt',
  'question?mark.txt',
  'percent%20literal.txt',
  "apostrophe's.txt",
  'amp&ersand=eq.txt',
  'ünïcødé-日本.txt',
  'emoji-🧬.txt'
];
/** Above aws-cli's 8 MB multipart threshold and the engine's 8 MiB part size: several parts each way. */
const BIG = 21 * 1024 * 1024 + 123;

function aws(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise(resolve => {
    execFile(
      AWS,
      ['--endpoint-url', S3.endpoint, '--region', 'us-east-1', ...args],
      {
        env: {
          PATH: process.env.PATH,
          HOME: root,
          AWS_ACCESS_KEY_ID: 'testing',
          AWS_SECRET_ACCESS_KEY: 'testing',
          AWS_EC2_METADATA_DISABLED: 'true'
        },
        maxBuffer: 16 * 1024 * 1024
      },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr })
    );
  });
}

beforeAll(async () => {
  ({ root } = t);
  fs.mkdirSync(path.join(root, 'mine'));
  fs.mkdirSync(path.join(root, 'back'));
  fs.mkdirSync(path.join(root, 'theirs'));
  for (const n of ODD) {
    fs.writeFileSync(path.join(root, 'mine', n), `eos wrote ${n}\n`);
    fs.writeFileSync(path.join(root, 'theirs', n), `aws wrote ${n}\n`);
  }
  fs.writeFileSync(path.join(root, 'mine', 'big.bin'), randomBytes(BIG));
  fs.writeFileSync(path.join(root, 'theirs', 'big.bin'), randomBytes(BIG));
});

describe('eos cp and aws s3 cp read each other', () => {
  it('aws-cli reads back byte-exact what eos cp wrote', async () => {
    const up = await eos(t.cli, ['cp', '-r', 'mine', `${base}from-eos/`], root);
    expect(up).toMatchObject({ code: 0, stderr: '' });
    for (const n of [...ODD, 'big.bin']) {
      const local = path.join(root, 'back', n);
      const run = await aws(['s3', 'cp', '--only-show-errors', `${s3Base}from-eos/${n}`, local]);
      expect({ n, code: run.code, stderr: run.stderr }).toEqual({ n, code: 0, stderr: '' });
      expect(fs.readFileSync(local).equals(fs.readFileSync(path.join(root, 'mine', n)))).toBe(true);
    }
    const head = await aws(['s3api', 'head-object', '--bucket', S3.orgBucket, '--key', `${prefix}from-eos/big.bin`]);
    expect(JSON.parse(head.stdout).ETag).toMatch(/-\d+"$/);
  });

  it('eos cp reads back byte-exact what aws-cli wrote', async () => {
    const up = await aws([
      's3',
      'cp',
      '--only-show-errors',
      '--recursive',
      path.join(root, 'theirs'),
      `${s3Base}from-aws/`
    ]);
    expect(up).toMatchObject({ code: 0, stderr: '' });
    const listed = await eos(t.cli, ['ls', `${base}from-aws/`], root);
    expect(listed.stdout.trim().split('\n').sort()).toEqual([...ODD, 'big.bin'].sort());
    const down = await eos(t.cli, ['cp', '-r', `${base}from-aws/`, 'got'], root);
    expect(down).toMatchObject({ code: 0, stderr: '' });
    for (const n of [...ODD, 'big.bin']) {
      expect({
        n,
        same: fs.readFileSync(path.join(root, 'got', n)).equals(fs.readFileSync(path.join(root, 'theirs', n)))
      }).toEqual({
        n,
        same: true
      });
    }
    // A multipart object (its ETag says how many parts) read through the ranged reader too.
    const head = await aws(['s3api', 'head-object', '--bucket', S3.orgBucket, '--key', `${prefix}from-aws/big.bin`]);
    expect(JSON.parse(head.stdout).ETag).toMatch(/-\d+"$/);
    const cat = await eos(t.cli, ['cat', `${base}from-aws/${ODD[0]}`], root);
    expect(cat.stdout).toBe(`aws wrote ${ODD[0]}\n`);
  });
});
