/**
 * `eos` run beside a running service (a JupyterLab terminal): the service
 * hears what the command wrote, so the panel shows it as it shows its own
 * writes; the disk gauge measures again after local writes. A service that is
 * gone never fails the command.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { putObjects, Running, startService, testConfig, until } from '../../__tests__/harness';
import { Engine } from '../../engine';
import { peersDir } from '../../engine/peers';
import { S3, cliSuite, eos } from './cli-harness';

const t = cliSuite('cli-notify');
let svc: Running;
let engine: Engine;
let stateDir: string;
const written = new Set<string>();
const removed = new Set<string>();

beforeAll(async () => {
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eos-cli-state-'));
  svc = await startService(testConfig({ rootDir: t.root, stateDir, diskMode: 'quota' }), {
    onEngine: e => (engine = e)
  });
  engine.store.changes.onChange(c => {
    c.written.forEach(uri => written.add(uri));
    c.removed.forEach(uri => removed.add(uri));
  });
  // The service advertises its socket once it listens.
  await until(() => fs.existsSync(peersDir(stateDir)) && fs.readdirSync(peersDir(stateDir)).length === 1);
});

afterAll(async () => {
  await svc.close();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

beforeEach(() => {
  written.clear();
  removed.clear();
});

const run = (args: string[]) => eos(t.cli, args, t.root, { env: { EOS_STATE_DIR: stateDir } });

it("tells the service which EOS folders it wrote and removed, as the service's own writes", async () => {
  fs.writeFileSync(path.join(t.root, 'note.txt'), 'from a terminal');
  expect(await run(['cp', '-q', 'note.txt', `${t.base}inbox/`])).toMatchObject({ code: 0, stderr: '' });
  await until(() => written.has(`${t.base}inbox/`));
  expect(await run(['rm', '-q', `${t.base}inbox/note.txt`])).toMatchObject({ code: 0, stderr: '' });
  await until(() => removed.has(`${t.base}inbox/`));
});

it('makes the service measure its disk again after a download', async () => {
  await putObjects(t.client, S3.orgBucket, { [`${t.prefix}big.bin`]: Buffer.alloc(20_000, 1) });
  await engine.disk.refresh();
  // The walk just done may end in the same millisecond as this line: only a later walk counts.
  const prior = Date.parse((await svc.get('/api/disk')).body.measuredAt);
  const measured: string[] = [];
  const stop = engine.disk.onChange(e => measured.push(String(e.measuredAt)));
  try {
    expect(await run(['cp', '-q', `${t.base}big.bin`, 'big.bin'])).toMatchObject({ code: 0, stderr: '' });
    await until(() => measured.some(at => at !== 'null' && Date.parse(at) > prior));
    expect((await svc.get('/api/disk')).body.used).toBeGreaterThanOrEqual(20_000);
  } finally {
    stop();
  }
});

it('succeeds when an advertised service is gone, and forgets it', async () => {
  const [live] = fs.readdirSync(peersDir(stateDir));
  const stale = path.join(peersDir(stateDir), live.replace(/-\d+\.json$/, '-2147483646.json'));
  fs.writeFileSync(
    stale,
    JSON.stringify({ socket: path.join(stateDir, 'gone.sock'), pid: 2147483646, rootDir: t.root })
  );
  fs.writeFileSync(path.join(t.root, 'again.txt'), 'again');
  expect(await run(['cp', '-q', 'again.txt', `${t.base}inbox/`])).toMatchObject({ code: 0, stdout: '', stderr: '' });
  expect(fs.existsSync(stale)).toBe(false);
  await until(() => written.has(`${t.base}inbox/`));
});
