/**
 * The computer uploads' part PUTs (issue 18): one process sends `parts`
 * parts of `mib` MiB, each with its CRC64NVME computed first (as
 * computer.ts does), one way, and prints its CPU seconds. bench/part-put.mjs
 * bundles this file and runs the ways side by side.
 *
 *   node part-put.cjs sdk|data <parts> <mib>
 *
 * `sdk`: the SDK's UploadPartCommand with the CRC as a field (how the parts
 * went before); `data`: `uploadPart` of s3/multipart.ts (the uploads' data
 * path: node:http, unsigned payload, the CRC as a header). Configuration from
 * the environment as the service's (`EOS_ENDPOINT_URL`, credentials, ids).
 */
import { randomFillSync } from 'node:crypto';
import { UploadPartCommand } from '@aws-sdk/client-s3';
import { loadConfig } from '../src/service/engine/config';
import { createS3Client, endpointLabel } from '../src/service/engine/s3/client';
import { EosStore } from '../src/service/engine/s3/store';
import { abortUpload, createUpload, uploadPart } from '../src/service/engine/s3/multipart';
import { checksumFields, partChecksum, UPLOAD_CRC } from '../src/service/engine/s3/checksums';

async function main(): Promise<void> {
  const [way, partsText, mibText] = process.argv.slice(2);
  const parts = Number(partsText);
  const bytes = Number(mibText) * 1024 * 1024;
  const config = loadConfig(process.env);
  const store = new EosStore(createS3Client(config), config.context!, endpointLabel(config));
  const bucket = config.context!.orgBucket;
  const target = { bucket, key: `shared/files/bench-part-put/${way}-${process.pid}.bin`, uri: 'e://org/bench' };
  const signal = new AbortController().signal;
  const upload = await createUpload(store, target, {}, signal, true);
  // Fresh bytes per part, as a browser's parts are: filled outside the clock.
  const bodies = Array.from({ length: 2 }, () => randomFillSync(Buffer.allocUnsafe(bytes)));
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let n = 1; n <= parts; n++) {
    const body = bodies[n % 2];
    const crc = await partChecksum(body);
    if (way === 'sdk') {
      await store.client.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: target.key,
          UploadId: upload.uploadId,
          PartNumber: n,
          Body: body,
          ContentLength: body.length,
          ChecksumAlgorithm: UPLOAD_CRC,
          ...checksumFields(UPLOAD_CRC, crc.base64)
        })
      );
    } else {
      await uploadPart(store, upload, { n, body, checksum: crc.base64 }, signal);
    }
  }
  const used = process.cpuUsage(cpu);
  const seconds = (performance.now() - started) / 1000;
  await abortUpload(store, upload);
  console.log(JSON.stringify({ way, seconds, cpu: (used.user + used.system) / 1e6 }));
}

main().then(
  () => process.exit(0),
  err => {
    console.error(err);
    process.exit(1);
  }
);
