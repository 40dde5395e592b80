/**
 * `eos cp URL e://…`: a file served over http imported into EOS, named by the
 * URL or by DST; usage mistakes exit 2.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { S3, cliSuite, objectBytes } from './cli-harness';

const t = cliSuite('cli-import');
const BODY = Buffer.from('##fileformat=VCFv4.2\n');
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/calls/a.vcf') {
      res.writeHead(200, { 'content-length': BODY.length });
      res.end(BODY);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise(resolve => server.close(resolve));
});

it('imports a URL into an EOS folder under its name, or under the name DST gives', async () => {
  expect(await t.run(['cp', `${base}/calls/a.vcf`, `${t.base}in/`])).toMatchObject({
    code: 0,
    stdout: `Imported 1 file (21 B) to ${t.base}in/\n`,
    stderr: ''
  });
  expect(await t.run(['cp', '-q', `${base}/calls/a.vcf`, `${t.base}in/renamed.vcf`])).toMatchObject({ code: 0 });
  expect(await t.keys('in/')).toEqual(['a.vcf', 'renamed.vcf']);
  expect((await objectBytes(t.client, S3.orgBucket, `${t.prefix}in/renamed.vcf`)).equals(BODY)).toBe(true);
  // Nothing was written to the local disk.
  expect(fs.readdirSync(t.root).filter(n => !n.startsWith('.'))).toEqual([]);
});

it('says what failed: a 404 names the URL and exits 1; the target exists: --force overwrites', async () => {
  const missing = await t.run(['cp', `${base}/calls/none.vcf`, `${t.base}in/`]);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain(`${base}/calls/none.vcf answered 404 Not Found`);
  const again = await t.run(['cp', `${base}/calls/a.vcf`, `${t.base}in/`]);
  expect(again.code).toBe(1);
  expect(again.stderr).toContain(`${t.base}in/a.vcf already exists`);
  expect(await t.run(['cp', '-q', '--force', `${base}/calls/a.vcf`, `${t.base}in/`])).toMatchObject({ code: 0 });
});

it('refuses a URL copied anywhere but EOS, with -r, as usage mistakes (exit 2)', async () => {
  const local = await t.run(['cp', `${base}/calls/a.vcf`, 'a.vcf']);
  expect(local).toMatchObject({ code: 2, stderr: 'eos: a URL is copied into EOS: DST must be an e:// or s3:// URI\n' });
  expect(fs.existsSync(path.join(t.root, 'a.vcf'))).toBe(false);
  expect((await t.run(['cp', '-r', `${base}/calls/`, `${t.base}in/`])).code).toBe(2);
});
