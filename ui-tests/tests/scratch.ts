/**
 * Scratch data of the transfer specs: they make top-level folders in My files
 * named `<kind>-<timestamp>`; removing them after each test keeps My files as
 * seeded, so later specs find the seeded items on the first screen.
 */
import { DeleteObjectsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { myKey, withS3 } from './demo-s3';

/** Top-level names the transfer specs create. */
const SCRATCH = /^(ask|dnd-[a-z]+|menu-[a-z]+|cancel|conflict|folder-upload|upload|import|killed)-\d+/;

/** Delete every object under the scratch folders of My files. */
export async function removeScratch(): Promise<void> {
  const home = myKey('');
  await withS3(async (client, Bucket) => {
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: home, ContinuationToken: token }));
      const keys = (page.Contents ?? []).map(o => o.Key!).filter(key => SCRATCH.test(key.slice(home.length)));
      if (keys.length) {
        await client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: keys.map(Key => ({ Key })) } }));
      }
      token = page.NextContinuationToken;
    } while (token);
  });
}
