/**
 * `eos cp` and `eos mv`: uploads, downloads and server-side copies through
 * the engine, with the panel's guarantees (no silent overwrite, no write
 * outside the root, read-only refused before any S3 call).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { putObjects } from '../../__tests__/harness';
import { NO_S3, S3, cliSuite, eos, filesUnder, objectBytes } from './cli-harness';

const t = cliSuite('cli-cp');
const { prefix, base } = t;
let root: string;
let client: S3Client;

beforeAll(async () => {
  ({ root, client } = t);
  fs.writeFileSync(path.join(root, 'a.txt'), 'alpha');
  fs.mkdirSync(path.join(root, 'data', 'sub'), { recursive: true });
  fs.writeFileSync(path.join(root, 'data', 'keep.vcf'), 'vcf');
  fs.writeFileSync(path.join(root, 'data', 'skip.tmp'), 'tmp');
  fs.writeFileSync(path.join(root, 'data', 'sub', 'deep.vcf'), 'deep');
  fs.writeFileSync(path.join(root, 'data', 'sub', 'deep.tmp'), 'deeptmp');
});

const keys = t.keys;

describe('eos cp: local -> EOS', () => {
  it('uploads a file under a new name, or into a folder under its own', async () => {
    const renamed = await eos(t.cli, ['cp', 'a.txt', `${base}up/renamed.txt`], root);
    expect(renamed).toMatchObject({ code: 0, stderr: '' });
    expect(renamed.stdout).toBe(`Uploaded 1 file (5 B) to ${base}up/renamed.txt; verified (crc64nvme)\n`);
    const into = await eos(t.cli, ['cp', '-q', 'a.txt', `${base}up/`], root);
    expect(into).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(await keys('up/')).toEqual(['a.txt', 'renamed.txt']);
    expect((await objectBytes(client, S3.orgBucket, `${prefix}up/renamed.txt`)).toString()).toBe('alpha');
  });

  it('resolves relative paths against the working directory', async () => {
    const run = await eos(t.cli, ['cp', 'keep.vcf', `${base}cwd/`], root, { cwd: path.join(root, 'data') });
    expect(run.code).toBe(0);
    expect(await keys('cwd/')).toEqual(['keep.vcf']);
  });

  it('never overwrites silently: refuses, skips with --no-clobber, overwrites with --force', async () => {
    await putObjects(client, S3.orgBucket, { [`${prefix}exists/a.txt`]: 'old' });
    const refused = await eos(t.cli, ['cp', 'a.txt', `${base}exists/`], root);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `eos: ${base}exists/a.txt already exists (use --force to overwrite, or --no-clobber to skip existing targets)\n`
    );
    expect((await objectBytes(client, S3.orgBucket, `${prefix}exists/a.txt`)).toString()).toBe('old');
    const skipped = await eos(t.cli, ['cp', '--no-clobber', 'a.txt', `${base}exists/`], root);
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toContain('1 skipped');
    expect((await objectBytes(client, S3.orgBucket, `${prefix}exists/a.txt`)).toString()).toBe('old');
    const forced = await eos(t.cli, ['cp', '--force', 'a.txt', `${base}exists/`], root);
    expect(forced.code).toBe(0);
    expect((await objectBytes(client, S3.orgBucket, `${prefix}exists/a.txt`)).toString()).toBe('alpha');
    const both = await eos(t.cli, ['cp', '--force', '--no-clobber', 'a.txt', `${base}exists/`], root);
    expect(both.code).toBe(2);
  });

  it('needs -r for a folder, then copies its contents into DST with excludes and includes in order', async () => {
    const noR = await eos(t.cli, ['cp', 'data', `${base}tree/`], root);
    expect(noR).toMatchObject({ code: 1, stderr: 'eos: data is a folder: copy it with -r (--recursive)\n' });
    const run = await eos(t.cli, ['cp', '-r', 'data', `${base}tree`, '--exclude', '*.tmp'], root);
    expect(run.code).toBe(0);
    expect(await keys('tree/')).toEqual(['keep.vcf', 'sub/deep.vcf']);
    const only = await eos(
      t.cli,
      ['cp', '-r', 'data/', `${base}only/`, '--exclude', '*', '--include', 'sub/*', '--exclude', '*.tmp'],
      root
    );
    expect(only.code).toBe(0);
    expect(await keys('only/')).toEqual(['sub/deep.vcf']);
  });

  it('--dryrun lists what would be uploaded and writes nothing', async () => {
    const run = await eos(t.cli, ['cp', '-r', '--dryrun', 'data', `${base}dry/`, '--exclude', '*.vcf'], root);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').sort()).toEqual(
      [
        '',
        `(dryrun) upload: data/skip.tmp to ${base}dry/skip.tmp`,
        `(dryrun) upload: data/sub/deep.tmp to ${base}dry/sub/deep.tmp`,
        'Would upload 2 files (10 B)'
      ].sort()
    );
    expect(await keys('dry/')).toEqual([]);
  });

  it('--dryrun refuses or skips existing targets as the upload does', async () => {
    await putObjects(client, S3.orgBucket, { [`${prefix}dryup/a.txt`]: 'old' });
    const refused = await eos(t.cli, ['cp', '--dryrun', 'a.txt', `${base}dryup/`], root);
    expect(refused).toMatchObject({
      code: 1,
      stdout: '',
      stderr: `eos: ${base}dryup/a.txt already exists (use --force to overwrite, or --no-clobber to skip existing targets)\n`
    });
    const skipped = await eos(t.cli, ['cp', '--dryrun', '--no-clobber', 'a.txt', `${base}dryup/`], root);
    expect(skipped).toMatchObject({
      code: 0,
      stdout: `(dryrun) skip: a.txt at ${base}dryup/a.txt (already there)\nWould upload 0 files (0 B); 1 skipped (already there)\n`
    });
  });

  it('refuses read-only namespaces and paths outside the root before any S3 call', async () => {
    const gencove = await eos(t.cli, ['cp', 'a.txt', 'e://gencove/x.txt'], root, { env: NO_S3 });
    expect(gencove).toMatchObject({
      code: 1,
      stderr: 'eos: Cannot write to e://gencove/x.txt: e://gencove/ is read-only\n'
    });
    const other = await eos(t.cli, ['cp', 'a.txt', `e://users/${S3.otherUserId}/x.txt`], root, { env: NO_S3 });
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/belongs to another user and is read-only for you/);
    const outside = await eos(t.cli, ['cp', '../outside.txt', `${base}x/`], root, { env: NO_S3 });
    expect(outside.code).toBe(1);
    expect(outside.stderr).toMatch(/^eos: "\.\.\/outside\.txt" is outside the Jupyter root /);
    const mv = await eos(t.cli, ['mv', 'e://gencove/a', `${base}a`], root, { env: NO_S3 });
    expect(mv).toMatchObject({
      code: 1,
      stderr: 'eos: Cannot move e://gencove/a: it is read-only for you, so it cannot be deleted (copy it with eos cp)\n'
    });
  });
});

describe('eos cp: checksums (issue 16)', () => {
  it('--json carries how each file was checked; a plain object and EOS_VERIFY_CHECKSUMS=false say "not verified"', async () => {
    const up = await eos(t.cli, ['cp', '--json', 'a.txt', `${base}sum/a.txt`], root);
    expect(JSON.parse(up.stdout)).toMatchObject({
      kind: 'upload',
      state: 'done',
      integrity: { verified: { crc64nvme: 1 }, unverified: {} }
    });
    const down = await eos(t.cli, ['cp', '--json', `${base}sum/a.txt`, 'sum-a.txt'], root);
    expect(JSON.parse(down.stdout)).toMatchObject({ kind: 'download', integrity: { verified: { crc64nvme: 1 } } });
    const off = await eos(t.cli, ['cp', `${base}sum/a.txt`, 'sum-off.txt'], root, {
      env: { EOS_VERIFY_CHECKSUMS: 'false' }
    });
    expect(off).toMatchObject({
      code: 0,
      stdout: `Downloaded 1 file (5 B) to sum-off.txt; not verified (verification turned off)\n`
    });
    expect(fs.readFileSync(path.join(root, 'sum-off.txt'), 'utf8')).toBe('alpha');
  });
});

describe('eos cp: EOS -> local', () => {
  it('downloads an object under a new name or into a folder, and a folder with -r', async () => {
    await putObjects(client, S3.orgBucket, {
      [`${prefix}down/x.txt`]: 'ex',
      [`${prefix}down/d/y.txt`]: 'why',
      [`${prefix}down/d/e/z.txt`]: 'zed'
    });
    const dir = path.join(root, 'dl');
    fs.mkdirSync(dir);
    expect((await eos(t.cli, ['cp', `${base}down/x.txt`, 'dl/renamed.txt'], root)).code).toBe(0);
    expect((await eos(t.cli, ['cp', `${base}down/x.txt`, 'dl'], root)).code).toBe(0);
    expect((await eos(t.cli, ['cp', '-r', `${base}down/d/`, 'dl/tree'], root)).code).toBe(0);
    expect(filesUnder(dir)).toEqual(['renamed.txt', 'tree/e/z.txt', 'tree/y.txt', 'x.txt']);
    expect(fs.readFileSync(path.join(dir, 'tree', 'e', 'z.txt'), 'utf8')).toBe('zed');
    const again = await eos(t.cli, ['cp', `${base}down/x.txt`, 'dl'], root);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(
      'eos: dl/x.txt already exists (use --force to overwrite, or --no-clobber to skip existing targets)\n'
    );
    const outside = await eos(t.cli, ['cp', `${base}down/x.txt`, '/tmp/'], root, { env: NO_S3 });
    expect(outside.code).toBe(1);
    expect(outside.stderr).toMatch(/is outside the Jupyter root/);
    expect(fs.readdirSync(dir).filter(n => n.includes('eos-partial'))).toEqual([]);
  });

  it('downloads odd key names to the same local names', async () => {
    const names = ['with space.txt', 'plus+sign.txt', 'hash#tag.txt', 'question?mark.txt', 'ünï-日本.txt'];
    await putObjects(client, S3.orgBucket, Object.fromEntries(names.map(n => [`${prefix}odd/${n}`, `body of ${n}`])));
    const run = await eos(t.cli, ['cp', '-r', `${base}odd/`, 'odd'], root);
    expect(run.code).toBe(0);
    expect(filesUnder(path.join(root, 'odd'))).toEqual([...names].sort());
    for (const n of names) {
      expect(fs.readFileSync(path.join(root, 'odd', n), 'utf8')).toBe(`body of ${n}`);
    }
  });
});

describe('eos cp: items that fail', () => {
  it('copies what it can, names each failed item on stderr and exits 1', async () => {
    await putObjects(client, S3.orgBucket, {
      [`${prefix}bad/ok.txt`]: 'ok',
      [`${prefix}bad/a/../evil.txt`]: 'x',
      [`${prefix}bad/b/./odd.txt`]: 'y'
    });
    const run = await eos(t.cli, ['cp', '-r', `${base}bad/`, 'bad'], root);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n').sort()).toEqual(
      [
        '',
        `eos: ${base}bad/a/../evil.txt: The key part "a/../evil.txt" has a segment ("..") that cannot be a local name`,
        `eos: ${base}bad/b/./odd.txt: The key part "b/./odd.txt" has a segment (".") that cannot be a local name`,
        'eos: 2 items failed; the first: The key part "a/../evil.txt" has a segment ("..") that cannot be a local name'
      ].sort()
    );
    expect(filesUnder(path.join(root, 'bad'))).toEqual(['ok.txt']);
    expect(fs.existsSync(path.join(root, 'evil.txt'))).toBe(false);
  });
});

// The dry run stopped (exit 1) at a key the run reports and goes past, and said an object whose name is
// also a folder (`data` and `data/x`) would download: it now says what the run then does, line for line.
describe('eos cp --dryrun says what the run does', () => {
  const traversal = `eos: ${base}dry/trav/a/../evil.txt: The key part "a/../evil.txt" has a segment ("..") that cannot be a local name\n`;

  beforeAll(async () => {
    await putObjects(client, S3.orgBucket, {
      [`${prefix}dry/trav/ok.txt`]: 'ok',
      [`${prefix}dry/trav/a/../evil.txt`]: 'x',
      [`${prefix}dry/clash/data`]: 'D',
      [`${prefix}dry/clash/data/x`]: 'X'
    });
  });

  it('a key that cannot be a local name: named on stderr, the rest listed, exit 1, in both', async () => {
    const dry = await eos(t.cli, ['cp', '-r', '--dryrun', `${base}dry/trav/`, 'trav'], root);
    expect(dry).toMatchObject({
      code: 1,
      stdout: `(dryrun) download: ${base}dry/trav/ok.txt to trav/ok.txt\nWould download 1 file (2 B)\n`,
      stderr: traversal
    });
    expect(fs.existsSync(path.join(root, 'trav'))).toBe(false);
    const run = await eos(t.cli, ['cp', '-r', `${base}dry/trav/`, 'trav'], root);
    expect(run).toMatchObject({ code: 1, stderr: traversal });
    expect(filesUnder(path.join(root, 'trav'))).toEqual(['ok.txt']);
  });

  it.each([
    [[], 1, ['Would download 1 file (1 B)'], `"cl0/data" already exists as a folder on the server's disk`],
    [
      ['--no-clobber'],
      0,
      [
        `(dryrun) skip: ${base}dry/clash/data at cl1/data (already there)`,
        'Would download 1 file (1 B); 1 skipped (already there)'
      ],
      null
    ],
    [
      ['--force'],
      1,
      ['Would download 1 file (1 B)'],
      `"cl2/data" is a folder on the server's disk: a file cannot replace it (keep both or skip)`
    ]
  ])('an object and a folder of one name, %j: the dry run and the run agree', async (flags, code, lines, error) => {
    const n = ['--no-clobber', '--force'].indexOf(flags[0] ?? '') + 1;
    const dst = `cl${n}`;
    const dry = await eos(t.cli, ['cp', '-r', '--dryrun', ...flags, `${base}dry/clash/`, dst], root);
    const stderr = error === null ? '' : `eos: ${base}dry/clash/data: ${error}\n`;
    expect(dry).toMatchObject({ code, stderr });
    expect(dry.stdout.split('\n').sort()).toEqual(
      ['', `(dryrun) download: ${base}dry/clash/data/x to ${dst}/data/x`, ...lines].sort()
    );
    const run = await eos(t.cli, ['cp', '-r', ...flags, `${base}dry/clash/`, dst], root);
    expect(run).toMatchObject({ code, stderr });
    expect(filesUnder(path.join(root, dst))).toEqual(['data/x']);
  });
});

describe('eos cp and mv: EOS -> EOS', () => {
  it('copies server-side, a folder with -r into DST, and moves', async () => {
    await putObjects(client, S3.orgBucket, { [`${prefix}src/a.txt`]: 'a', [`${prefix}src/s/b.txt`]: 'b' });
    const obj = await eos(t.cli, ['cp', `${base}src/a.txt`, `${base}copy/`], root);
    expect(obj.code).toBe(0);
    const tree = await eos(t.cli, ['cp', '-r', `${base}src/`, `${base}copytree/`], root);
    expect(tree.code).toBe(0);
    expect(await keys('copytree/')).toEqual(['a.txt', 's/b.txt']);
    const moved = await eos(t.cli, ['mv', '-r', `${base}copytree`, `${base}moved`], root);
    expect(moved).toMatchObject({ code: 0, stdout: `Moved 2 files (2 B) to ${base}moved\n` });
    expect(await keys('copytree/')).toEqual([]);
    expect(await keys('moved/')).toEqual(['a.txt', 's/b.txt']);
    const json = await eos(t.cli, ['cp', '--json', `${base}src/a.txt`, `${base}copy/j.txt`], root);
    expect(JSON.parse(json.stdout)).toMatchObject({ kind: 'copy', state: 'done', objects: { done: 1 } });
  });

  it('refuses to move a namespace root and to copy over an existing object', async () => {
    const root_ = await eos(t.cli, ['mv', '-r', 'e://users/me/', `${base}all/`], root, { env: NO_S3 });
    expect(root_).toMatchObject({
      code: 1,
      stderr: 'eos: Cannot move e://users/me/: it is a root, not a file or folder\n'
    });
    await putObjects(client, S3.orgBucket, { [`${prefix}cc/a.txt`]: 'a', [`${prefix}cc/b.txt`]: 'b' });
    const over = await eos(t.cli, ['cp', `${base}cc/a.txt`, `${base}cc/b.txt`], root);
    expect(over.code).toBe(1);
    expect(over.stderr).toMatch(/already exists/);
    expect((await objectBytes(client, S3.orgBucket, `${prefix}cc/b.txt`)).toString()).toBe('b');
  });
});
