/**
 * The `eos` commands: arguments, options, help and examples. Each action
 * builds its session lazily (no S3 client for `--help` or `--version`).
 */
import { Command, Option } from 'commander';
import { VERSION } from '../engine';
import { Output, OutputOptions } from './output';
import { Session } from './session';
import { cat, head } from './commands/cat';
import { UsageError, cp, mv } from './commands/cp';
import { df, presign, uri } from './commands/info';
import { ls } from './commands/ls';
import { mkdir, rm } from './commands/rm';
import { sync } from './commands/sync';
import { TransferFilter } from '../engine';

/** Where a command runs: its session, and where its output goes. */
export interface Runtime {
  session: () => Session;
  output: (options: OutputOptions) => Output;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `-q` and `--json`, on every command. */
function common(cmd: Command): Command {
  return cmd
    .option('-q, --quiet', 'no progress, notes or summaries; only results and errors')
    .option('--json', 'results as JSON, one object per line (for scripts)');
}

/** `--no-sign-request`, on the commands that read. */
function unsigned(cmd: Command): Command {
  return cmd.option(
    '--no-sign-request',
    'read s3:// locations outside EOS without signing requests (public buckets, as aws --no-sign-request)'
  );
}

/**
 * The session, told which S3 locations outside EOS the arguments name (the
 * store reads only those), signed unless `--no-sign-request`.
 */
function naming(rt: Runtime, o: { signRequest?: boolean }, args: (string | undefined)[]): Session {
  const session = rt.session();
  const sign = o.signRequest !== false;
  if (session.nameLocations(args, sign) === 0 && !sign) {
    throw new UsageError('--no-sign-request applies to s3:// locations outside EOS, and no argument names one');
  }
  return session;
}

function examples(cmd: Command, lines: string[]): Command {
  return cmd.addHelpText('after', `\nExamples:\n${lines.map(l => `  $ ${l}`).join('\n')}\n`);
}

/** `--exclude`/`--include` globs, kept in the order they were given. */
function filters(cmd: Command, into: TransferFilter[]): Command {
  cmd
    .option('--exclude <glob>', 'leave out paths matching the glob (repeatable)', collect)
    .option('--include <glob>', 'take paths matching the glob back in (repeatable; the last match wins)', collect);
  cmd.on('option:exclude', (glob: string) => into.push({ include: false, glob }));
  cmd.on('option:include', (glob: string) => into.push({ include: true, glob }));
  return cmd;
}

/** The `eos` program: its options, then each group of commands in the order `--help` lists them. */
export function buildProgram(rt: Runtime): Command {
  const program = new Command('eos')
    .description(
      'EOS (e://) data from the terminal, on the same engine as the JupyterLab EOS panel. ' +
        'Locations are e:// URIs (e://users/me/, e://org/, e://gencove/) or s3:// URIs (inside EOS, ' +
        'or any other S3 location, read-only); ' +
        'local paths are relative to the current directory and must lie in the Jupyter root.'
    )
    .version(VERSION, '-V, --version', 'print the version')
    .showHelpAfterError('(add --help for usage)')
    // Set before the commands are added, so that they inherit it: usage errors throw (exit 2 in main).
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, 'eos: ')) });

  addListCommand(program, rt);
  addCopyCommands(program, rt);
  addSyncCommand(program, rt);
  addFolderCommands(program, rt);
  addInfoCommands(program, rt);
  addReadCommands(program, rt);

  return program;
}

/** `eos ls`. */
function addListCommand(program: Command, rt: Runtime): void {
  examples(unsigned(common(program.command('ls').argument('[uri]', 'folder or object (default e://users/me/)'))), [
    'eos ls',
    'eos ls e://',
    'eos ls e://users/',
    'eos ls -lh e://org/project/',
    'eos ls -r s3://bucket/shared/files/x/',
    'eos ls --no-sign-request s3://1000genomes/phase3/'
  ])
    .description('list a folder: e:// lists the namespaces, e://users/ the user ids')
    .helpOption('--help', 'display help for command')
    .option('-r, --recursive', 'every object under the folder')
    .option('-l, --long', 'long form: date, size, storage class')
    .option('-h, --human-readable', 'sizes in kB, MB, GB')
    .option('-s, --summarize', 'the summary line also when the output is not a terminal')
    .action(async (u: string | undefined, o) => {
      await ls(naming(rt, o, [u]), rt.output(o), u, {
        recursive: o.recursive,
        long: o.long,
        human: o.humanReadable,
        summarize: o.summarize
      });
    });
}

/** `eos cp` (upload, download, server-side copy) and `eos mv`. */
function addCopyCommands(program: Command, rt: Runtime): void {
  const cpFilters: TransferFilter[] = [];
  const cpCmd = examples(
    unsigned(filters(common(program.command('cp').argument('<src>').argument('<dst>')), cpFilters)),
    [
      'eos cp local_file.txt e://users/me/project-1/file.txt',
      'eos cp e://users/me/project-1/file.txt local_file.txt',
      'eos cp e://users/me/project-1/file.txt e://users/me/project-2/',
      'eos cp -r data/ e://org/run-7/ --exclude "*.tmp"',
      'eos cp -r e://org/run-7/ run-7/ --exclude "*" --include "*.vcf.gz"',
      'eos cp https://example.org/refs/GRCh38.fa.gz e://org/refs/',
      'eos cp --no-sign-request s3://1000genomes/phase3/20130502.phase3.sequence.index e://org/refs/'
    ]
  )
    .summary('copy: local -> EOS, EOS -> local, EOS -> EOS (server-side), URL -> EOS, other S3 -> EOS or local')
    .description(
      'Copy: local -> EOS (upload), EOS -> local (download), EOS -> EOS (server-side), an http(s) URL -> EOS ' +
        '(streamed by the service, never through the local disk), an s3:// location outside EOS -> EOS ' +
        '(server-side when the credentials can read it, else streamed) or -> local. ' +
        'A DST ending in / (or an existing folder) receives SRC under its own name; with -r the ' +
        "folder's contents go into DST. Existing targets are refused unless --force or --no-clobber."
    )
    .option('-r, --recursive', 'copy folders and everything in them')
    .option('--dryrun', 'print what would be copied; change nothing')
    .addOption(new Option('--no-clobber', 'skip targets that already exist'))
    .addOption(new Option('-f, --force', 'overwrite targets that already exist'));
  cpCmd.action(async (src: string, dst: string, o) => {
    await cp(naming(rt, o, [src, dst]), rt.output(o), src, dst, { ...cpOptions(o), filters: cpFilters });
  });

  examples(common(program.command('mv').argument('<src>').argument('<dst>')), [
    'eos mv e://users/me/a.txt e://users/me/old/a.txt',
    'eos mv -r e://org/run-7/ e://org/archive/run-7/',
    'eos mv results.vcf.gz e://users/me/project-1/',
    'eos mv -r run-7/ e://org/run-7/',
    'eos mv -r e://users/me/project-1/ project-1/'
  ])
    .summary('move: local -> EOS, EOS -> local, EOS -> EOS (server-side)')
    .description(
      'Move: copy as eos cp does, then delete each source once its copy is complete ' +
        '(an upload is read back and compared with the local file first, as Free Up Space does; ' +
        'a download is checked for size and one ETag). Sources skipped or failed are kept. ' +
        'Sources in read-only places (e://gencove/, other users) cannot be moved. ' +
        'Existing targets are refused unless --force or --no-clobber.'
    )
    .option('-r, --recursive', 'move folders and everything in them')
    .option('--dryrun', 'print what would be moved (and what kept); change nothing')
    .addOption(new Option('--no-clobber', 'skip targets that already exist'))
    .addOption(new Option('-f, --force', 'overwrite targets that already exist'))
    .action(async (src: string, dst: string, o) => {
      await mv(naming(rt, {}, [src, dst]), rt.output(o), src, dst, cpOptions(o));
    });
}

/** `eos sync`. */
function addSyncCommand(program: Command, rt: Runtime): void {
  const syncFilters: TransferFilter[] = [];
  examples(unsigned(filters(common(program.command('sync').argument('<src>').argument('<dst>')), syncFilters)), [
    'eos sync project-1/ e://users/me/project-1/',
    'eos sync e://users/me/project-1/ project-1/ --delete',
    'eos sync --dryrun data/ e://org/data/ --exclude "*.tmp" --exclude "cache/**"',
    'eos sync e://org/run-7/ run-7/ --exclude "*" --include "*.vcf.gz"',
    'eos sync e://users/me/project-1/ e://users/me/project-2/ --delete'
  ])
    .summary('make DST hold what SRC holds (local <-> EOS, EOS -> EOS)')
    .description(
      'Make DST hold what SRC holds (a local folder and an EOS folder, either way round, or two EOS ' +
        'folders, copied server-side), copying what is new or differs in size or modification time.'
    )
    .option('--delete', 'delete what DST has and SRC does not')
    .option('--dryrun', 'print the plan; change nothing')
    .action(async (src: string, dst: string, o) => {
      await sync(naming(rt, o, [src, dst]), rt.output(o), src, dst, {
        delete: o.delete,
        dryrun: o.dryrun,
        filters: syncFilters
      });
    });
}

/** `eos rm` and `eos mkdir`. */
function addFolderCommands(program: Command, rt: Runtime): void {
  examples(common(program.command('rm').argument('<uri...>')), [
    'eos rm e://users/me/project-1/file.txt',
    'eos rm -r --dryrun e://users/me/project-1/',
    'eos rm -r e://users/me/project-1/'
  ])
    .description('delete objects, or folders with -r (a namespace root is never deleted)')
    .option('-r, --recursive', 'delete folders and everything in them')
    .option('--dryrun', 'print what would be deleted; change nothing')
    .action(async (uris: string[], o) => {
      await rm(naming(rt, {}, uris), rt.output(o), uris, { recursive: o.recursive, dryrun: o.dryrun });
    });

  examples(common(program.command('mkdir').argument('<uri...>')), ['eos mkdir e://users/me/project-3/'])
    .description('create folders')
    .option('-p, --parents', 'no error when the folder already exists')
    .action(async (uris: string[], o) => {
      await mkdir(naming(rt, {}, uris), rt.output(o), uris, o.parents === true);
    });
}

/** `eos presign`, `eos df` and `eos uri`. */
function addInfoCommands(program: Command, rt: Runtime): void {
  examples(common(program.command('presign').argument('<uri>')), [
    'eos presign e://users/me/report.html',
    'eos presign e://org/data.vcf.gz --expires-in 7d'
  ])
    .description('print a URL anyone can download the object with; its real expiry goes to stderr')
    .option('--expires-in <duration>', 'how long it works: 3600, 90m, 48h, 7d (default 48h, at most 7d)')
    .action(async (u: string, o) => {
      await presign(naming(rt, {}, [u]), rt.output(o), u, o.expiresIn);
    });

  examples(common(program.command('df')), ['eos df', 'eos df -h'])
    .description("the local disk (the Jupyter root's) as the panel's gauge sees it, with its thresholds")
    .helpOption('--help', 'display help for command')
    .option('-h, --human-readable', 'sizes in kB, MB, GB')
    .action(async o => {
      await df(rt.session(), rt.output(o), o.humanReadable === true);
    });

  examples(common(program.command('uri').argument('<uri...>')), [
    'eos uri e://users/me/project-1/file.txt',
    'eos uri s3://gencove-explorer-c4b6da6d/shared/files/x.bam'
  ])
    .description('print the e://, shareable, s3:// and File(path_e=...) forms of a location')
    .action(async (uris: string[], o) => {
      uri(rt.session(), rt.output(o), uris);
    });
}

/** `eos cat` and `eos head`. */
function addReadCommands(program: Command, rt: Runtime): void {
  examples(unsigned(common(program.command('cat').argument('<uri...>'))), [
    'eos cat e://org/samples.csv',
    'eos cat e://org/calls.vcf.gz | grep -v "^##" | head'
  ])
    .description('print objects (.gz decompressed on the fly) without downloading them')
    .option('--raw', 'do not decompress .gz objects')
    .action(async (uris: string[], o) => {
      await cat(naming(rt, o, uris), rt.output(o), uris, { decompress: o.raw !== true });
    });

  examples(unsigned(common(program.command('head').argument('<uri>'))), [
    'eos head e://org/reads_R1.fastq.gz -n 8',
    'eos head e://gencove/panel.csv'
  ])
    .description('print the first lines of an object (.gz decompressed), fetching only what they need')
    .option('-n, --lines <n>', 'how many lines', '10')
    .option('--raw', 'do not decompress .gz objects')
    .action(async (u: string, o) => {
      await head(naming(rt, o, [u]), rt.output(o), u, o.lines, { decompress: o.raw !== true });
    });
}

function cpOptions(o: { recursive?: boolean; dryrun?: boolean; clobber?: boolean; force?: boolean }) {
  return { recursive: o.recursive, dryrun: o.dryrun, clobber: o.clobber, force: o.force };
}
