/**
 * `eos ls`, `eos uri`, usage and configuration errors: the built command
 * line against moto.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { putObjects } from '../../__tests__/harness';
import { NO_S3, S3, cliSuite, eos } from './cli-harness';

const t = cliSuite('cli-ls');
const { prefix, base } = t;
let root: string;
let client: S3Client;

/** Odd key names the listing must give back verbatim. */
const ODD = ['with space.txt', 'plus+sign.txt', 'hash#tag.txt', 'question?mark.txt', 'percent%20.txt', 'ünï-日本.txt'];

beforeAll(async () => {
  ({ root, client } = t);
  await putObjects(client, S3.orgBucket, {
    [`${prefix}a.txt`]: 'alpha',
    [`${prefix}sub/b.txt`]: 'bravo!',
    [`${prefix}sub/deeper/c.txt`]: 'c',
    [`${prefix}odd/line\nfeed.txt`]: 'lf',
    ...Object.fromEntries(ODD.map(n => [`${prefix}odd/${n}`, n]))
  });
});

describe('eos ls', () => {
  it('lists the namespaces for e:// and the user ids for e://users/', async () => {
    const top = await eos(t.cli, ['ls', 'e://'], root);
    expect(top).toMatchObject({ code: 0, stdout: 'users/\norg/\ngencove/\n', stderr: '' });
    const users = await eos(t.cli, ['ls', 'e://users/'], root);
    expect(users.code).toBe(0);
    expect(users.stdout.split('\n')).toContain('me/');
  });

  it('lists one level, folders first, and defaults to e://users/me/', async () => {
    const run = await eos(t.cli, ['ls', base], root);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe('odd/\nsub/\na.txt\n');
    const home = await eos(t.cli, ['ls'], root);
    expect(home.stdout.split('\n')).toContain(`${base.split('/')[4]}/`);
  });

  it('lists recursively with paths relative to the folder, and takes s3:// URIs', async () => {
    const s3 = `s3://${S3.orgBucket}/${prefix}sub/`;
    const run = await eos(t.cli, ['ls', '-r', s3], root);
    expect(run).toMatchObject({ code: 0, stdout: 'b.txt\ndeeper/c.txt\n' });
  });

  it('gives odd names verbatim in a pipe (and as JSON)', async () => {
    const run = await eos(t.cli, ['ls', `${base}odd/`], root);
    const names = run.stdout.slice(0, -1);
    for (const n of ODD) {
      expect(names.split('\n')).toContain(n);
    }
    expect(names).toContain('line\nfeed.txt');
    const json = await eos(t.cli, ['ls', '--json', `${base}odd/`], root);
    const entries = json.stdout
      .trim()
      .split('\n')
      .map(l => JSON.parse(l));
    expect(entries.map(e => e.name).sort()).toEqual([...ODD, 'line\nfeed.txt'].sort());
    expect(entries.find(e => e.name === 'hash#tag.txt').uri).toBe(`${base}odd/hash#tag.txt`);
  });

  it('long form: date, size, storage class; -h human sizes; a summary line when asked', async () => {
    const run = await eos(t.cli, ['ls', '-l', '--summarize', `${base}sub/`], root);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^\s+DIR\s+deeper\/$/);
    expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+6\s+STANDARD\s+b\.txt$/);
    expect(lines[2]).toBe('Total: 1 object, 1 folder, 6 bytes (6 B)');
    const human = await eos(t.cli, ['ls', '-lrh', '-s', base], root);
    expect(human.stdout).toMatch(/\s5 B\s+STANDARD\s+a\.txt\n/);
    expect(human.stdout.trim().split('\n').pop()).toMatch(/^Total: 10 objects, 0 folders, \d+ B$/);
  });

  it('prints no summary in a pipe unless asked', async () => {
    const run = await eos(t.cli, ['ls', '-l', `${base}sub/`], root);
    expect(run.stdout).not.toContain('Total');
  });

  it('shows an object named without a trailing slash', async () => {
    const run = await eos(t.cli, ['ls', '-l', `${base}a.txt`], root);
    expect(run.stdout).toMatch(/\s5\s+STANDARD\s+a\.txt\n$/);
  });

  // A URI that is no EOS URI is a usage mistake: exit 2, as the README says (it was 1).
  it('fails with one clear line: exit 1 for what does not exist, 2 for what is no EOS URI', async () => {
    const missing = await eos(t.cli, ['ls', `${base}nothing/`], root);
    expect(missing).toMatchObject({ code: 1, stdout: '', stderr: `eos: ${base}nothing/ does not exist\n` });
    const nope = "eos: Invalid namespace 'nope'. Valid namespaces are: users, org, gencove\n";
    const usage: [string[], string][] = [
      [['ls', 'e://nope/'], nope],
      [['ls', 'e://nope/x'], nope],
      [['cp', 'e://nope/x', 'dir/'], nope],
      [['cp', 'a.txt', 'e://nope/x'], nope],
      [['cp', '-r', 'e://org/x/', 'e://nope/x'], nope],
      [['sync', 'e://nope/x/', 'dir'], nope],
      [['rm', 'e://users/not-a-uuid/x'], "eos: User id 'not-a-uuid' is not a valid UUID (or 'me')\n"]
    ];
    for (const [args, stderr] of usage) {
      const run = await eos(t.cli, args, root, { env: NO_S3 });
      expect({ args, code: run.code, stderr: run.stderr }).toEqual({ args, code: 2, stderr });
    }
  });
});

describe('eos uri', () => {
  it('prints the e://, shareable, s3:// and File(...) forms', async () => {
    const run = await eos(t.cli, ['uri', '--json', 'e://users/me/p/x "y".txt'], root);
    expect(JSON.parse(run.stdout)).toEqual({
      uri: 'e://users/me/p/x "y".txt',
      shareable: `e://users/${S3.userId}/p/x "y".txt`,
      s3: `s3://${S3.orgBucket}/users/${S3.userId}/files/p/x "y".txt`,
      python: `File(path_e="e://users/${S3.userId}/p/x \\"y\\".txt")`
    });
    const text = await eos(t.cli, ['uri', `s3://${S3.orgBucket}/shared/files/a b`], root);
    expect(text.stdout).toBe(
      'e://       e://org/a b\n' +
        'shareable  e://org/a b\n' +
        `s3://      s3://${S3.orgBucket}/shared/files/a b\n` +
        'python     File(path_e="e://org/a b")\n'
    );
  });
});

describe('usage and configuration', () => {
  it('answers --version and --help with exit 0', async () => {
    const version = await eos(t.cli, ['--version'], root);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
    for (const cmd of ['ls', 'cp', 'mv', 'sync', 'rm', 'mkdir', 'presign', 'df', 'uri', 'cat', 'head']) {
      const help = await eos(t.cli, [cmd, '--help'], root);
      expect({ cmd, code: help.code }).toEqual({ cmd, code: 0 });
      expect(help.stdout).toContain(`Usage: eos ${cmd}`);
      expect(help.stdout).toContain('Examples:');
    }
  });

  it('exits 2 on a usage mistake, with one line naming it', async () => {
    const run = await eos(t.cli, ['cp', 'only-one'], root);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe("eos: missing required argument 'dst'");
    const unknown = await eos(t.cli, ['frobnicate'], root);
    expect(unknown.code).toBe(2);
  });

  it('says what to set when EOS is not configured', async () => {
    const run = await eos(t.cli, ['ls'], root, { env: { GENCOVE_USER_ID: undefined } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^eos: EOS is not configured: set GENCOVE_USER_ID /);
  });
});
