/**
 * Scratch data of the transfer specs: they make top-level folders in My files
 * named `<kind>-<timestamp>`; removing them after each test keeps My files as
 * seeded, so later specs find the seeded items on the first screen.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';

/** Top-level names the transfer specs create. */
const SCRATCH = /^(ask|dnd-[a-z]+|menu-[a-z]+|cancel|conflict|folder-upload|upload)-\d+/;

/** Delete every object under the scratch folders of My files. */
export async function removeScratch(): Promise<void> {
  const demo = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../.demo/s3.json'), 'utf-8'));
  const client = new S3Client({
    endpoint: demo.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' }
  });
  const home = `users/${demo.userId}/files/`;
  try {
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: demo.orgBucket, Prefix: home, ContinuationToken: token })
      );
      const keys = (page.Contents ?? []).map(o => o.Key!).filter(key => SCRATCH.test(key.slice(home.length)));
      if (keys.length) {
        await client.send(
          new DeleteObjectsCommand({ Bucket: demo.orgBucket, Delete: { Objects: keys.map(Key => ({ Key })) } })
        );
      }
      token = page.NextContinuationToken;
    } while (token);
  } finally {
    client.destroy();
  }
}
