/**
 * `eos rm`, `mkdir`, `sync` (both ways and EOS -> EOS), `presign`, `df`, `cat` and `head` against moto.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { S3Client } from '@aws-sdk/client-s3';
import { putObjects } from '../../__tests__/harness';
import { NO_S3, S3, cliSuite, eos, filesUnder } from './cli-harness';

const t = cliSuite('cli-more');
const { prefix, base } = t;
let root: string;
let client: S3Client;

beforeAll(async () => {
  ({ root, client } = t);
});

const keys = t.keys;

describe('eos rm and mkdir', () => {
  it('deletes an object, a folder only with -r, and previews with --dryrun', async () => {
    await putObjects(client, S3.orgBucket, { [`${prefix}rm/a.txt`]: 'a', [`${prefix}rm/d/b.txt`]: 'bb' });
    const one = await eos(t.cli, ['rm', `${base}rm/a.txt`], root);
    expect(one).toMatchObject({ code: 0, stdout: 'Deleted 1 object (1 B)\n' });
    const noR = await eos(t.cli, ['rm', `${base}rm/d/`], root);
    expect(noR.code).toBe(1);
    expect(noR.stderr).toBe(
      `eos: ${base}rm/d/ is not empty: delete it with its contents (recursive) or empty it first\n`
    );
    const dry = await eos(t.cli, ['rm', '-r', '--dryrun', `${base}rm/d`], root);
    expect(dry.stdout).toBe(`(dryrun) delete: ${base}rm/d/b.txt\nWould delete 1 file (2 B)\n`);
    expect(await keys('rm/')).toEqual(['d/b.txt']);
    const all = await eos(t.cli, ['rm', '-r', `${base}rm/d`], root);
    expect(all.code).toBe(0);
    expect(await keys('rm/')).toEqual([]);
  });

  it('never deletes a namespace root, and refuses read-only places before any S3 call', async () => {
    const refusals: [string, string][] = [
      ['e://users/me/', 'Cannot delete e://users/me/: it is a root, not a file or folder'],
      ['e://org', 'Cannot delete e://org/: it is a root, not a file or folder'],
      ['e://', 'Cannot write to e://: only files inside a namespace can be written']
    ];
    for (const [uri, message] of refusals) {
      const run = await eos(t.cli, ['rm', '-r', uri], root, { env: NO_S3 });
      expect({ uri, code: run.code, stderr: run.stderr }).toEqual({ uri, code: 1, stderr: `eos: ${message}\n` });
    }
    const gencove = await eos(t.cli, ['rm', 'e://gencove/x'], root, { env: NO_S3 });
    expect(gencove).toMatchObject({
      code: 1,
      stderr: 'eos: Cannot write to e://gencove/x: e://gencove/ is read-only\n'
    });
  });

  it('creates folders; -p accepts one already there', async () => {
    const run = await eos(t.cli, ['mkdir', `${base}made`], root);
    expect(run).toMatchObject({ code: 0, stdout: `${base}made/\n` });
    expect(await keys('made/')).toEqual(['']);
    expect((await eos(t.cli, ['mkdir', `${base}made/`], root)).code).toBe(1);
    expect((await eos(t.cli, ['mkdir', '-p', `${base}made/`], root)).code).toBe(0);
  });
});

describe('eos sync', () => {
  it('uploads what is new or changed, deletes only with --delete, and previews with --dryrun', async () => {
    const local = path.join(root, 'proj');
    fs.mkdirSync(path.join(local, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(local, 'a.txt'), 'a');
    fs.writeFileSync(path.join(local, 'sub', 'b.txt'), 'b');
    fs.writeFileSync(path.join(local, 'junk.tmp'), 'j');
    const first = await eos(t.cli, ['sync', 'proj', `${base}proj/`, '--exclude', '*.tmp'], root);
    expect(first.code).toBe(0);
    expect(await keys('proj/')).toEqual(['a.txt', 'sub/b.txt']);
    const noop = await eos(t.cli, ['sync', '--dryrun', 'proj', `${base}proj/`, '--exclude', '*.tmp'], root);
    expect(noop.stdout).toBe('Would copy 0 (0 B), delete 0, leave 2 unchanged\n');
    fs.writeFileSync(path.join(local, 'a.txt'), 'a, longer');
    fs.rmSync(path.join(local, 'sub'), { recursive: true });
    const plan = await eos(t.cli, ['sync', '--dryrun', '--delete', 'proj', `${base}proj/`, '--exclude', '*.tmp'], root);
    expect(plan.stdout).toBe(
      '(dryrun) copy: a.txt (size)\n(dryrun) delete: sub/b.txt\nWould copy 1 (9 B), delete 1, leave 0 unchanged\n'
    );
    expect((await eos(t.cli, ['sync', 'proj', `${base}proj/`, '--exclude', '*.tmp'], root)).code).toBe(0);
    expect(await keys('proj/')).toEqual(['a.txt', 'sub/b.txt']);
    expect((await eos(t.cli, ['sync', '--delete', 'proj', `${base}proj/`, '--exclude', '*.tmp'], root)).code).toBe(0);
    expect(await keys('proj/')).toEqual(['a.txt']);
  });

  it('syncs with --exclude and --include in order, the last match deciding', async () => {
    await putObjects(client, S3.orgBucket, {
      [`${prefix}picks/a.vcf.gz`]: 'a',
      [`${prefix}picks/d/b.vcf.gz`]: 'b',
      [`${prefix}picks/d/c.bam`]: 'c'
    });
    const run = await eos(t.cli, ['sync', `${base}picks/`, 'picks', '--exclude', '*', '--include', '*.vcf.gz'], root);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(filesUnder(path.join(root, 'picks'))).toEqual(['a.vcf.gz', 'd/b.vcf.gz']);
  });

  it('downloads EOS -> local', async () => {
    await putObjects(client, S3.orgBucket, { [`${prefix}remote/x.txt`]: 'x', [`${prefix}remote/y/z.txt`]: 'z' });
    fs.mkdirSync(path.join(root, 'back'));
    const run = await eos(t.cli, ['sync', `${base}remote/`, 'back'], root);
    expect(run.code).toBe(0);
    expect(filesUnder(path.join(root, 'back'))).toEqual(['x.txt', 'y/z.txt']);
    const local = await eos(t.cli, ['sync', 'back', 'proj'], root);
    expect(local.code).toBe(2);
  });

  // It said "Synced 1 file" and exited 0, leaving them out unmentioned (`eos cp -r` names them and exits 1).
  it('names keys that cannot be local names and exits 1, in the dry run as in the run', async () => {
    await putObjects(client, S3.orgBucket, {
      [`${prefix}trav/ok.txt`]: 'ok',
      [`${prefix}trav/a/../evil.txt`]: 'x',
      [`${prefix}trav/b//c.txt`]: 'y'
    });
    const lines = [
      `eos: ${base}trav/a/../evil.txt: The key part "a/../evil.txt" has a segment ("..") that cannot be a local name`,
      `eos: ${base}trav/b//c.txt: The key part "b//c.txt" has a segment ("") that cannot be a local name`,
      'eos: 2 items failed; the first: The key part "a/../evil.txt" has a segment ("..") that cannot be a local name',
      ''
    ];
    const dry = await eos(t.cli, ['sync', '--dryrun', `${base}trav/`, 'trav'], root);
    expect(dry).toMatchObject({ code: 1, stderr: lines.join('\n') });
    expect(dry.stdout).toBe(
      '(dryrun) copy: ok.txt (new)\nWould copy 1 (2 B), delete 0, leave 0 unchanged; 2 cannot be copied\n'
    );
    const run = await eos(t.cli, ['sync', `${base}trav/`, 'trav'], root);
    expect(run).toMatchObject({ code: 1, stdout: '', stderr: lines.join('\n') });
    expect(filesUnder(path.join(root, 'trav'))).toEqual(['ok.txt']);
  });
});

describe('eos sync EOS -> EOS', () => {
  it('copies server-side, deletes only with --delete, and previews with --dryrun and --json', async () => {
    await putObjects(client, S3.orgBucket, {
      [`${prefix}p1/a.txt`]: 'a',
      [`${prefix}p1/d/b.txt`]: 'b',
      [`${prefix}p1/junk.tmp`]: 'j',
      [`${prefix}p2/old.txt`]: 'old'
    });
    const [src, dst] = [`${base}p1/`, `${base}p2/`];
    const dry = await eos(t.cli, ['sync', '--dryrun', '--delete', src, dst, '--exclude', '*.tmp'], root);
    expect(dry).toMatchObject({ code: 0, stderr: '' });
    expect(dry.stdout).toBe(
      '(dryrun) copy: a.txt (new)\n(dryrun) copy: d/b.txt (new)\n(dryrun) delete: old.txt\n' +
        'Would copy 2 (2 B), delete 1, leave 0 unchanged\n'
    );
    expect(await keys('p2/')).toEqual(['old.txt']);
    const run = await eos(t.cli, ['sync', '--json', src, dst, '--exclude', '*.tmp'], root);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ kind: 'sync', state: 'done', objects: { done: 2, total: 2 } });
    expect(await keys('p2/')).toEqual(['a.txt', 'd/b.txt', 'old.txt']);
    const json = await eos(t.cli, ['sync', '--dryrun', '--json', '--delete', src, dst, '--exclude', '*.tmp'], root);
    expect(JSON.parse(json.stdout)).toMatchObject({ dryrun: true, copyCount: 0, unchanged: 2, deleteCount: 1 });
    expect((await eos(t.cli, ['sync', '--delete', src, dst, '--exclude', '*.tmp'], root)).code).toBe(0);
    expect(await keys('p2/')).toEqual(['a.txt', 'd/b.txt']);
  });

  it('refuses a read-only target before any S3 call (exit 1, as cp), and two local folders (exit 2)', async () => {
    const gencove = await eos(t.cli, ['sync', `${base}p1/`, 'e://gencove/x/'], root, { env: NO_S3 });
    expect(gencove).toMatchObject({
      code: 1,
      stderr: 'eos: Cannot write to e://gencove/x/: e://gencove/ is read-only\n'
    });
    const local = await eos(t.cli, ['sync', 'a', 'b'], root, { env: NO_S3 });
    expect(local).toMatchObject({ code: 2, stderr: 'eos: sync needs an e:// or s3:// folder on at least one side\n' });
  });
});

describe('eos presign, df', () => {
  it('prints the URL on stdout and its real expiry on stderr', async () => {
    await putObjects(client, S3.orgBucket, { [`${prefix}p/report.html`]: '<html>' });
    const run = await eos(t.cli, ['presign', `${base}p/report.html`], root);
    expect(run.code).toBe(0);
    const url = new URL(run.stdout.trim());
    expect(url.searchParams.get('X-Amz-Expires')).toBe(String(48 * 3600));
    expect(decodeURIComponent(url.pathname)).toBe(`/${S3.orgBucket}/${prefix}p/report.html`);
    expect(run.stderr).toMatch(/^Anyone with this URL can read the object until \S+Z \(48 hours\)\.\n$/);
    const capped = await eos(t.cli, ['presign', '--json', '--expires-in', '30d', `${base}p/report.html`], root);
    expect(JSON.parse(capped.stdout)).toMatchObject({ expiresIn: 7 * 24 * 3600, limitedBy: 'maximum' });
    const bad = await eos(t.cli, ['presign', '--expires-in', 'soon', `${base}p/report.html`], root);
    expect(bad.code).toBe(2);
    const folderUrl = await eos(t.cli, ['presign', `${base}p/`], root);
    expect(folderUrl).toMatchObject({ code: 1, stderr: `eos: Cannot presign a folder: ${base}p/\n` });
  });

  it('measures the root disk as the gauge does', async () => {
    const env = { EOS_DISK_LIMIT: '1000', EOS_DISK_MODE: 'quota' };
    const run = await eos(t.cli, ['df', '--json'], root, { env });
    const disk = JSON.parse(run.stdout);
    expect(disk).toMatchObject({ root, mode: 'quota', modeSource: 'config', limit: 1000, capacity: 1000 });
    expect(disk.level).toBe('critical');
    // The walk of the root was waited for: the figure is measured, not a partial count.
    expect(disk.measuredAt).not.toBeNull();
    expect(disk.walk.state).toBe('done');
    const statfs = fs.statfsSync(root);
    expect(disk.free).toBeLessThanOrEqual(statfs.bavail * statfs.bsize * 1.01);
    const text = await eos(t.cli, ['df', '-h'], root);
    expect(text.stdout.split('\n')[0]).toMatch(/^\s+Size\s+Used\s+Avail\s+Use%\s+Status\s+Mode\s+Root$/);
    expect(text.stdout.split('\n')[1]).toContain(root);
  });
});

describe('eos cat and head', () => {
  // Lines long enough that the first ranged GETs (256 KiB, then doubling) end mid-line.
  const lines = Array.from({ length: 5000 }, (_, i) => `@read${i} ${'ACGT'.repeat(50)}`);
  const text = `${lines.join('\n')}\n`;

  beforeAll(async () => {
    await putObjects(client, S3.orgBucket, {
      [`${prefix}c/r.fastq`]: text,
      [`${prefix}c/r.fastq.gz`]: Buffer.concat([gzipSync(text.slice(0, 300000)), gzipSync(text.slice(300000))]),
      [`${prefix}c/fake.gz`]: 'not gzip'
    });
  });

  it('cat prints the whole object, decompressing a multi-member .gz', async () => {
    const plain = await eos(t.cli, ['cat', `${base}c/r.fastq`], root);
    expect(plain.stdout).toBe(text);
    const gz = await eos(t.cli, ['cat', `${base}c/r.fastq.gz`], root);
    expect(gz.stdout).toBe(text);
    const raw = await eos(t.cli, ['cat', '--raw', `${base}c/fake.gz`], root);
    expect(raw.stdout).toBe('not gzip');
  });

  it('head prints the first lines', async () => {
    const four = await eos(t.cli, ['head', '-n', '4', `${base}c/r.fastq.gz`], root);
    expect(four).toMatchObject({ code: 0, stdout: `${lines.slice(0, 4).join('\n')}\n` });
    const ten = await eos(t.cli, ['head', `${base}c/r.fastq`], root);
    expect(ten.stdout).toBe(`${lines.slice(0, 10).join('\n')}\n`);
  });

  it('says when a .gz object is not gzip, and when an object is missing', async () => {
    const fake = await eos(t.cli, ['head', `${base}c/fake.gz`], root);
    expect(fake).toMatchObject({
      code: 1,
      stderr: `eos: ${base}c/fake.gz is not readable as gzip (incorrect header check); read its raw bytes with --raw\n`
    });
    const missing = await eos(t.cli, ['cat', `${base}c/none.txt`], root);
    expect(missing).toMatchObject({ code: 1, stderr: `eos: No such object: ${base}c/none.txt\n` });
  });
});
