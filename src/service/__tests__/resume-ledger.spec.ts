/**
 * The resume ledger alone (no S3): what it keeps survives a restart in its
 * file, expires, and never loses an upload it could not abort.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OpenUpload } from '../engine/jobs/jobs';
import { RESUME_KEEP_MS, ResumeLedger, ResumeRecord, UploadRecord } from '../engine/transfer/resumeledger';

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eos-ledger-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const upload = (id: string, abs = '/root/a.bin'): UploadRecord => ({
  kind: 'upload',
  bucket: 'b',
  key: 'k',
  uploadId: id,
  abs,
  size: 10,
  mtimeMs: 1,
  partSize: 5
});
const sameFile = (r: ResumeRecord): r is ResumeRecord & UploadRecord => r.kind === 'upload' && r.abs === '/root/a.bin';

function ledgerAt(file: string | null, aborted: string[], fail = false): { ledger: ResumeLedger; logs: string[] } {
  const logs: string[] = [];
  const abortUpload = async (u: OpenUpload) => {
    if (fail) {
      throw new Error('S3 unreachable');
    }
    aborted.push(u.uploadId);
  };
  return { ledger: new ResumeLedger({ file, abortUpload, log: line => logs.push(line) }), logs };
}

it('keeps what a process had open for the next one, which takes it once', async () => {
  const file = path.join(dir, 'resume.json');
  const aborted: string[] = [];
  const { ledger: first } = ledgerAt(file, aborted);
  first.open('job-1', upload('u1'));
  // The process dies: nothing more is written.
  const { ledger: second } = ledgerAt(file, aborted);
  expect(second.holds({ bucket: 'b', key: 'k', uploadId: 'u1' })).toBe(true);
  expect(second.take<UploadRecord>('job-2', sameFile, r => r.size === 10)).toMatchObject({
    uploadId: 'u1',
    jobId: 'job-2'
  });
  // Taken: open in this process, not to be taken twice.
  expect(second.take<UploadRecord>('job-3', sameFile, () => true)).toBeNull();
  second.forget(upload('u1'));
  expect(ledgerAt(file, aborted).ledger.list()).toEqual([]);
  expect(aborted).toEqual([]);
  await Promise.all([first.close(), second.close()]);
});

it('aborts a kept upload of the same file that does not match (changed), and expired ones at start-up', async () => {
  const file = path.join(dir, 'resume.json');
  const aborted: string[] = [];
  const { ledger } = ledgerAt(file, aborted);
  ledger.open('j', upload('old'));
  ledger.keep(upload('old'));
  expect(ledger.take<UploadRecord>('j', sameFile, r => r.size === 11)).toBeNull();
  await new Promise(resolve => setImmediate(resolve));
  expect(aborted).toEqual(['old']);

  ledger.open('j', upload('stale'));
  ledger.keep(upload('stale'));
  const data = JSON.parse(fs.readFileSync(file, 'utf8'));
  data.records[0].at -= RESUME_KEEP_MS;
  fs.writeFileSync(file, JSON.stringify(data));
  await ledger.close();
  const { ledger: next } = ledgerAt(file, aborted);
  await next.started;
  expect(aborted).toEqual(['old', 'stale']);
  expect(next.list()).toEqual([]);
  await next.close();
});

it('keeps an upload it could not abort for the next sweep, and says so', async () => {
  const aborted: string[] = [];
  const { ledger, logs } = ledgerAt(path.join(dir, 'resume.json'), aborted, true);
  ledger.open('j', upload('u'));
  ledger.keep(upload('u'));
  ledger.dropJobs(['j']);
  await ledger.sweep(Date.now() + RESUME_KEEP_MS);
  expect(ledger.list()).toHaveLength(1);
  expect(logs.join('\n')).toMatch(/could not drop the interrupted transfer of s3:\/\/b\/k .*S3 unreachable/);
  await ledger.close();
});

it('in memory, drops what it keeps when it closes and keeps nothing after', async () => {
  const aborted: string[] = [];
  const { ledger } = ledgerAt(null, aborted);
  ledger.open('j', upload('kept'));
  ledger.keep(upload('kept'));
  ledger.open('j', upload('late'));
  await ledger.close();
  expect(aborted).toEqual(['kept']);
  // A transfer that fails after the close cleans up itself.
  expect(ledger.keep(upload('late'))).toBe(false);
  expect(ledger.list()).toEqual([]);
});

it('ignores an unreadable file: logged, started empty', async () => {
  const file = path.join(dir, 'resume.json');
  fs.writeFileSync(file, '{not json');
  const { ledger, logs } = ledgerAt(file, []);
  expect(ledger.list()).toEqual([]);
  expect(logs.join('\n')).toMatch(/resume ledger .* is unreadable/);
  await ledger.close();
});
