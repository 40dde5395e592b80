/**
 * Entry point of the `eos` command line: `node eos-cli.cjs <command> ...`
 * (the Python console script `eos` runs it on the bundled Node).
 *
 * Exit codes: 0 done; 1 an error (one line on stderr, worded as the panel
 * words it); 2 a usage or configuration mistake (an argument that is no
 * valid e:// or s3:// URI of EOS among them); 130 cancelled by Ctrl-C.
 */
import { CommanderError } from 'commander';
import { EosError } from '../../core';
import { ConfigError, UnfinishedAbort } from '../engine';
import { Interrupted, ItemsFailed } from './follow';
import { Output } from './output';
import { buildProgram } from './program';
import { Session } from './session';
import { UsageError } from './commands/cp';

async function main(argv: string[]): Promise<number> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let session: Session | null = null;
  const errors = new Output({});
  const program = buildProgram({
    session: () => (session ??= Session.fromEnv()),
    output: options => new Output(options)
  });
  // A closed pipe (`eos ls | head`) ends the command quietly. A terminal hung up (EIO) is no reason to
  // stop a cancel's clean-up midway: what cannot be written is dropped.
  process.stdout.on('error', err => {
    if ((err as NodeJS.ErrnoException).code === 'EPIPE') {
      process.exit(0);
    }
  });
  process.stderr.on('error', () => undefined);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof Interrupted) {
      errors.error('cancelled');
      return 130;
    }
    if (err instanceof UsageError) {
      errors.error(err.message);
      return 2;
    }
    if (err instanceof ConfigError) {
      errors.error(err.message.replace(/^eos-service: /, ''));
      return 2;
    }
    if (err instanceof EosError) {
      errors.error(oneLine(err.message));
      if (process.env.EOS_DEBUG && err.details) {
        process.stderr.write(`${err.details}\n`);
      }
      // A malformed or unknown URI is the command's own argument, unless a job's item failed with it.
      return err.code === 'InvalidUri' && !(err instanceof ItemsFailed) ? 2 : 1;
    }
    errors.error(`internal error: ${err instanceof Error ? err.message : String(err)}`);
    if (process.env.EOS_DEBUG && err instanceof Error) {
      process.stderr.write(`${err.stack}\n`);
    }
    return 1;
  } finally {
    for (const upload of (await (session as Session | null)?.close()) ?? []) {
      errors.error(stillOpen(upload));
    }
  }
}

/** What the user is told of a multipart upload left open, with the aws-cli command that ends it. */
function stillOpen(upload: UnfinishedAbort): string {
  const { bucket, key, uploadId } = upload;
  const where = `s3://${bucket}/${key}`;
  if (uploadId === null) {
    return (
      `warning: S3 may hold a multipart upload of ${where} whose creation was not answered, and could not be ` +
      `reached to abort it; list it with: aws s3api list-multipart-uploads --bucket ${shellWord(bucket)} ` +
      `--prefix ${shellWord(key)}`
    );
  }
  return (
    `warning: the multipart upload of ${where} is still open (S3 could not be reached to abort it); its parts ` +
    `are billed until it is aborted: aws s3api abort-multipart-upload --bucket ${shellWord(bucket)} ` +
    `--key ${shellWord(key)} --upload-id ${shellWord(uploadId)}`
  );
}

/** `text` as one word for a POSIX shell (single-quoted unless plain). */
function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A message on one line, whatever names it quotes. */
function oneLine(text: string): string {
  return text.replace(/\r?\n/g, ' ');
}

main(process.argv.slice(2)).then(
  code => {
    process.exitCode = code;
  },
  err => {
    process.stderr.write(`eos: fatal: ${String(err)}\n`);
    process.exitCode = 1;
  }
);
