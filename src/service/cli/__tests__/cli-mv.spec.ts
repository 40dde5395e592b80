/**
 * `eos mv` between the local disk and EOS: the copy first, verified, then the
 * source deleted; a source whose copy failed or was skipped stays; a source
 * in a read-only place is refused before anything is copied. Runs against
 * moto and versitygw.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { putObjects } from '../../__tests__/harness';
import { NO_S3, S3, cliSuite, filesUnder, objectBytes } from './cli-harness';

const t = cliSuite('cli-mv');
const { prefix, base } = t;
let root: string;
let client: S3Client;

beforeAll(() => {
  ({ root, client } = t);
});

const keys = t.keys;
const at = (rel: string) => path.join(root, rel);
const write = (rel: string, text: string) => {
  fs.mkdirSync(path.dirname(at(rel)), { recursive: true });
  fs.writeFileSync(at(rel), text);
};
const text = async (key: string) => (await objectBytes(client, S3.orgBucket, `${prefix}${key}`)).toString();

describe('eos mv: local -> EOS', () => {
  it('uploads a file, then deletes it', async () => {
    write('up/a.txt', 'alpha');
    const run = await t.run(['mv', 'up/a.txt', `${base}up/`]);
    expect(run).toMatchObject({
      code: 0,
      stdout: `Moved 1 file (5 B) to ${base}up/; verified (crc64nvme)\n`,
      stderr: ''
    });
    expect(fs.existsSync(at('up/a.txt'))).toBe(false);
    expect(await text('up/a.txt')).toBe('alpha');
  });

  it('moves a folder with -r: its contents into DST, the folder gone', async () => {
    write('tree/x.txt', 'ex');
    write('tree/sub/y.txt', 'why');
    fs.mkdirSync(at('tree/empty'));
    const run = await t.run(['mv', '-r', 'tree/', `${base}tree/`]);
    expect(run).toMatchObject({ code: 0, stdout: `Moved 2 files (5 B) to ${base}tree/; verified (crc64nvme)\n` });
    expect(fs.existsSync(at('tree'))).toBe(false);
    expect(await keys('tree/')).toEqual(['empty/', 'sub/y.txt', 'x.txt']);
  });

  it('keeps the file when the copy is refused: an existing object, a read-only place', async () => {
    write('keep/a.txt', 'new');
    await putObjects(client, S3.orgBucket, { [`${prefix}there/a.txt`]: 'old' });
    const refused = await t.run(['mv', 'keep/a.txt', `${base}there/`]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/already exists \(use --force to overwrite/);
    expect(fs.readFileSync(at('keep/a.txt'), 'utf8')).toBe('new');
    expect(await text('there/a.txt')).toBe('old');
    const readOnly = await t.run(['mv', 'keep/a.txt', 'e://gencove/a.txt'], { env: NO_S3 });
    expect(readOnly).toMatchObject({
      code: 1,
      stderr: 'eos: Cannot write to e://gencove/a.txt: e://gencove/ is read-only\n'
    });
    expect(fs.existsSync(at('keep/a.txt'))).toBe(true);
  });

  it('--no-clobber moves the others and keeps what it skipped; --force replaces', async () => {
    write('nc/a.txt', 'new-a');
    write('nc/b.txt', 'new-b');
    await putObjects(client, S3.orgBucket, { [`${prefix}nc/a.txt`]: 'old' });
    const run = await t.run(['mv', '-r', '--no-clobber', 'nc', `${base}nc/`]);
    expect(run).toMatchObject({
      code: 0,
      stdout: `Moved 1 file (5 B) to ${base}nc/; 1 skipped (already there; source kept); verified (crc64nvme)\n`
    });
    expect(filesUnder(at('nc'))).toEqual(['a.txt']);
    expect(await text('nc/a.txt')).toBe('old');
    expect(await text('nc/b.txt')).toBe('new-b');
    const forced = await t.run(['mv', '--force', 'nc/a.txt', `${base}nc/`]);
    expect(forced.code).toBe(0);
    expect(fs.existsSync(at('nc/a.txt'))).toBe(false);
    expect(await text('nc/a.txt')).toBe('new-a');
  });

  it('--dryrun says what would move and what stay, and changes nothing', async () => {
    write('dry/a.txt', 'aa');
    write('dry/b.txt', 'bbb');
    await putObjects(client, S3.orgBucket, { [`${prefix}dry/a.txt`]: 'old' });
    const run = await t.run(['mv', '-r', '--dryrun', '--no-clobber', 'dry', `${base}dry/`]);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').sort()).toEqual(
      [
        '',
        `(dryrun) move: dry/b.txt to ${base}dry/b.txt`,
        `(dryrun) skip: dry/a.txt at ${base}dry/a.txt (already there; source kept)`,
        'Would move 1 file (3 B); 1 skipped (already there; source kept)'
      ].sort()
    );
    expect(filesUnder(at('dry'))).toEqual(['a.txt', 'b.txt']);
    expect(await keys('dry/')).toEqual(['a.txt']);
  });
});

describe('eos mv: EOS -> local', () => {
  it('downloads an object under a new name, then deletes it', async () => {
    await putObjects(client, S3.orgBucket, { [`${prefix}down/x.txt`]: 'ex' });
    const run = await t.run(['mv', `${base}down/x.txt`, 'got.txt']);
    expect(run).toMatchObject({ code: 0, stdout: 'Moved 1 file (2 B) to got.txt; verified (crc32)\n', stderr: '' });
    expect(fs.readFileSync(at('got.txt'), 'utf8')).toBe('ex');
    expect(await keys('down/')).toEqual([]);
  });

  it('moves a folder with -r: its contents into the local folder, its markers too', async () => {
    await putObjects(client, S3.orgBucket, {
      [`${prefix}dtree/`]: '',
      [`${prefix}dtree/a.txt`]: 'a',
      [`${prefix}dtree/s/`]: '',
      [`${prefix}dtree/s/b.txt`]: 'bb',
      [`${prefix}dtree/e/`]: ''
    });
    fs.mkdirSync(at('dl'));
    const run = await t.run(['mv', '-r', `${base}dtree/`, 'dl/']);
    expect(run).toMatchObject({ code: 0, stdout: 'Moved 2 files (3 B) to dl/; verified (crc32)\n' });
    expect(filesUnder(at('dl'))).toEqual(['a.txt', 's/b.txt']);
    expect(fs.statSync(at('dl/e')).isDirectory()).toBe(true);
    expect(await keys('dtree')).toEqual([]);
  });

  it('keeps the object when the copy is refused or skipped', async () => {
    await putObjects(client, S3.orgBucket, {
      [`${prefix}kept/`]: '',
      [`${prefix}kept/a.txt`]: 'remote',
      [`${prefix}kept/b.txt`]: 'b'
    });
    write('k/a.txt', 'local');
    const refused = await t.run(['mv', `${base}kept/a.txt`, 'k/']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/already exists \(use --force/);
    const outside = await t.run(['mv', `${base}kept/a.txt`, '../outside.txt']);
    expect(outside.code).toBe(1);
    expect(outside.stderr).toMatch(/outside the Jupyter root/);
    const skipped = await t.run(['mv', '-r', '--no-clobber', `${base}kept/`, 'k/']);
    expect(skipped).toMatchObject({
      code: 0,
      stdout: 'Moved 1 file (1 B) to k/; 1 skipped (already there; source kept); verified (crc32)\n'
    });
    expect(fs.readFileSync(at('k/a.txt'), 'utf8')).toBe('local');
    expect(fs.readFileSync(at('k/b.txt'), 'utf8')).toBe('b');
    // The folder still holds a.txt: its marker stays too.
    expect(await keys('kept/')).toEqual(['', 'a.txt']);
  });

  it('--dryrun says what would move and changes nothing', async () => {
    await putObjects(client, S3.orgBucket, { [`${prefix}ddry/a.txt`]: 'abc' });
    const run = await t.run(['mv', '--dryrun', `${base}ddry/a.txt`, 'ddry.txt']);
    expect(run).toMatchObject({
      code: 0,
      stdout: `(dryrun) move: ${base}ddry/a.txt to ddry.txt\nWould move 1 file (3 B)\n`
    });
    expect(fs.existsSync(at('ddry.txt'))).toBe(false);
    expect(await keys('ddry/')).toEqual(['a.txt']);
  });

  it('refuses a source in a read-only place (exit 1) before any S3 call, with or without --dryrun', async () => {
    for (const args of [
      ['mv', 'e://gencove/panel.csv', 'panel.csv'],
      ['mv', '--dryrun', '-r', `e://users/${S3.otherUserId}/x/`, 'x/']
    ]) {
      const run = await t.run(args, { env: NO_S3 });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^eos: Cannot move e:\/\/\S+: it is read-only for you, so it cannot be deleted/);
    }
    expect(fs.existsSync(at('panel.csv'))).toBe(false);
  });
});
