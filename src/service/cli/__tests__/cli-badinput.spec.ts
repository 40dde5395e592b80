/**
 * Bad input on every `eos` command (issue 16): the commands are taken from
 * the program itself, so a new command without cases here fails. Each case
 * must exit with its code (2 for a usage mistake: a malformed URI, an unknown
 * namespace, an unknown option; 1 for a refusal such as a read-only target),
 * say what is wrong in one line on stderr with no control character sent to
 * the terminal, print nothing on stdout, and change nothing in either bucket
 * or the root.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildProgram } from '../program';
import { keysUnder, putObjects } from '../../__tests__/harness';
import { S3, cliSuite, filesUnder } from './cli-harness';

const t = cliSuite('cli-bad');

/** Credentials no output may show (moto takes any): every run here has them. */
const SECRET = `eosSecretKey${randomBytes(16).toString('hex')}`;
const SESSION = `eosSessionToken${randomBytes(32).toString('hex')}`;
const CREDENTIALS = { AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: SESSION };

/** The secret or token in `text`, plain, URL-encoded or base64 (a presigned URL's X-Amz-Security-Token taken out). */
function leaks(text: string): string[] {
  const rest = text.split(`X-Amz-Security-Token=${encodeURIComponent(SESSION)}`).join('');
  return [SECRET, SESSION]
    .flatMap(s => [s, encodeURIComponent(s), Buffer.from(s).toString('base64')])
    .filter(f => rest.includes(f));
}

/** One bad command line and what it must give. */
interface Case {
  name: string;
  args: string[];
  code: 1 | 2;
  message: RegExp;
}

const LONG = 'é'.repeat(600); // 1,200 bytes

/** Bad URIs in argument `at` of `args` (a command line that is otherwise right). */
function badUris(args: string[], at: number): Case[] {
  const put = (value: string) => args.map((a, i) => (i === at ? value : a));
  return named(at, [
    {
      name: 'a malformed URI',
      args: put('e:/org/x'),
      code: 2,
      message: /does not start with e:\/\/|"e:\/org\/x" is not a URI: e:\/\/ and s3:\/\/ URIs start with two slashes/
    },
    { name: 'an unknown namespace', args: put('e://nope/x'), code: 2, message: /Invalid namespace 'nope'/ },
    {
      name: 'control characters in a namespace',
      args: put('e://no\u001b[31mpe\u0007/x'),
      code: 2,
      message: /Invalid namespace 'no␛\[31mpe␇'/
    },
    { name: 'a key over 1,024 bytes', args: put(`e://org/${LONG}`), code: 2, message: /S3 allows at most 1024/ },
    { name: 'a user id that is no UUID', args: put('e://users/bob/x'), code: 2, message: /not a valid UUID/ }
  ]);
}

/** Cases named with the argument they change (a command may take several). */
function named(at: number, cases: Case[]): Case[] {
  return cases.map(c => ({ ...c, name: `${c.name} (argument ${at})` }));
}

/** Read-only targets in argument `at`: e://gencove/ and another user's space. */
function readOnly(args: string[], at: number, tail: string): Case[] {
  const put = (value: string) => args.map((a, i) => (i === at ? value : a));
  return named(at, [
    {
      name: 'a target in e://gencove/',
      args: put(`e://gencove/${tail}`),
      code: 1,
      message: /e:\/\/gencove\/ is read-only/
    },
    {
      name: "a target in another user's space",
      args: put(`e://users/${S3.otherUserId}/${tail}`),
      code: 1,
      message: /belongs to another user and is read-only/
    }
  ]);
}

/** Local paths out of the root in argument `at`. */
function outside(args: string[], at: number): Case[] {
  const put = (value: string) => args.map((a, i) => (i === at ? value : a));
  return named(at, [
    { name: "a local path with '..' out of the root", args: put('../x'), code: 1, message: /outside|out of/ },
    { name: 'an absolute local path out of the root', args: put('/etc/hostname'), code: 1, message: /outside|out of/ },
    { name: 'a symlink out of the root', args: put('out/secret.txt'), code: 1, message: /out of|outside/ }
  ]);
}

/** Each command's cases (besides an unknown option, which every command gets). */
function commandCases(): Record<string, Case[]> {
  const mine = (name: string) => `${t.base}${name}`;
  const copies = (cmd: string, src: string): Case[] => [
    ...badUris([cmd, mine('a.txt'), mine('dst/')], 1),
    ...badUris([cmd, src, mine('dst/')], 2),
    ...readOnly([cmd, src, mine('dst/')], 2, 'x/')
  ];
  return {
    ls: badUris(['ls', ''], 1),
    cp: [
      ...copies('cp', 'local.txt'),
      ...outside(['cp', '', mine('dst/')], 1),
      ...outside(['cp', mine('a.txt'), ''], 2)
    ],
    // A move deletes its source: a read-only source is refused too. Local paths stay inside the root.
    mv: [
      ...copies('mv', mine('a.txt')),
      ...named(1, [
        {
          name: 'a source in e://gencove/',
          args: ['mv', 'e://gencove/g.txt', mine('dst/')],
          code: 1,
          message: /Cannot move e:\/\/gencove\/g\.txt: it is read-only for you/
        },
        {
          name: "a source in another user's space",
          args: ['mv', `e://users/${S3.otherUserId}/g.txt`, mine('dst/')],
          code: 1,
          message: /it is read-only for you/
        }
      ]),
      ...outside(['mv', '', mine('dst/')], 1),
      ...outside(['mv', mine('a.txt'), ''], 2)
    ],
    sync: [
      ...badUris(['sync', 'sub', ''], 2),
      ...readOnly(['sync', 'sub', ''], 2, 'x/'),
      ...outside(['sync', '', mine('dst/')], 1)
    ],
    rm: [...badUris(['rm', ''], 1), ...readOnly(['rm', ''], 1, 'g.txt')],
    mkdir: [...badUris(['mkdir', ''], 1), ...readOnly(['mkdir', ''], 1, 'new/')],
    presign: badUris(['presign', ''], 1),
    df: [{ name: 'an argument it does not take', args: ['df', 'e://org/'], code: 2, message: /too many arguments/ }],
    uri: badUris(['uri', ''], 1),
    cat: badUris(['cat', ''], 1),
    head: badUris(['head', ''], 1)
  };
}

/** The names of the program's commands. */
function commands(): string[] {
  const never = () => {
    throw new Error('unused');
  };
  return buildProgram({ session: never, output: never })
    .commands.map(c => c.name())
    .sort();
}

const TABLE = commandCases();

/** What no case may change. */
async function snapshot(): Promise<unknown> {
  return {
    org: await keysUnder(t.client, S3.orgBucket, ''),
    gencove: await keysUnder(t.client, S3.gencoveBucket, ''),
    root: filesUnder(t.root)
  };
}

it('has cases for every command of the program, and for no other', () => {
  expect(Object.keys(TABLE).sort()).toEqual(commands());
});

describe.each(commands().filter(name => TABLE[name]))('eos %s', name => {
  const cases: Case[] = [
    ...TABLE[name],
    { name: 'an unknown option', args: [name, '--bogus'], code: 2, message: /unknown option '--bogus'/ }
  ];
  let before: unknown;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(t.root, 'local.txt'))) {
      fs.writeFileSync(path.join(t.root, 'local.txt'), 'local');
      fs.mkdirSync(path.join(t.root, 'sub'));
      fs.writeFileSync(path.join(t.root, 'sub', 'b.txt'), 'b');
      fs.symlinkSync(path.dirname(t.root), path.join(t.root, 'out'));
      await putObjects(t.client, S3.orgBucket, { [`${t.prefix}a.txt`]: 'a' });
    }
    before = await snapshot();
  });

  it.each(cases.map(c => [c.name, c] as const))('refuses %s', async (_name, c) => {
    const run = await t.run(c.args, { env: CREDENTIALS });
    expect(leaks(run.stdout + run.stderr)).toEqual([]);
    // Commander adds a hint line after a usage error.
    const lines = run.stderr.split('\n').filter(l => l !== '' && l !== '(add --help for usage)');
    expect({ code: run.code, stdout: run.stdout, lines: lines.length }).toEqual({ code: c.code, stdout: '', lines: 1 });
    expect(lines[0]).toMatch(/^eos: /);
    expect(lines[0]).toMatch(c.message);
    // eslint-disable-next-line no-control-regex
    expect(lines[0]).not.toMatch(/[\x00-\x1f\x7f]/);
  });

  it('changed nothing', async () => {
    expect(await snapshot()).toEqual(before);
  });
});

describe('no secret key or session token in what eos prints', () => {
  it.each([
    ['ls --json', ['ls', '--json', 'e://'], {}],
    ['presign --json', ['presign', '--json', 'e://gencove/'], {}],
    ['cat of a missing object', ['cat', 'e://org/no-such-object.txt'], {}],
    ['ls of a bucket that does not exist', ['ls', '--json', 'e://org/'], { EOS_ORG_BUCKET: 'eos-no-such-bucket' }],
    [
      'cp to an endpoint nobody listens on',
      ['cp', '--json', 'local.txt', 'e://org/x.txt'],
      { EOS_ENDPOINT_URL: 'http://127.0.0.1:9' }
    ],
    ['rm of a read-only object', ['rm', '--json', 'e://gencove/x.txt'], {}]
  ])('%s, with EOS_DEBUG set (details and stacks)', async (_name, args, env) => {
    const run = await t.run(args, { env: { ...CREDENTIALS, EOS_DEBUG: '1', ...env } });
    expect(run.stdout + run.stderr).not.toBe('');
    expect(leaks(run.stdout + run.stderr)).toEqual([]);
  });

  it('shows the session token only where S3 needs it, in a presigned URL', async () => {
    await putObjects(t.client, S3.orgBucket, { [`${t.prefix}p.txt`]: 'p' });
    const run = await t.run(['presign', '--json', `${t.base}p.txt`], { env: CREDENTIALS });
    expect(run.stdout).toContain(`X-Amz-Security-Token=${encodeURIComponent(SESSION)}`);
    expect(leaks(run.stdout + run.stderr)).toEqual([]);
  });
});
