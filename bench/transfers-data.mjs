// The transfers benchmark's test data: random files written once, and the
// checks of every copy (byte-exact by size and sha256).
import { createHash, randomFillSync } from 'node:crypto';
import { closeSync, createReadStream, existsSync, openSync, readdirSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const MiB = 1024 * 1024;
export const fileName = i => `f-${String(i).padStart(5, '0')}.bin`;

/** Write `bytes` of random data to `path` in 16 MiB chunks; answer its sha256. */
export function writeRandom(path, bytes) {
  const hash = createHash('sha256');
  const chunk = Buffer.allocUnsafe(Math.max(1, Math.min(16 * MiB, bytes)));
  const fd = openSync(path, 'w');
  try {
    for (let left = bytes; left > 0;) {
      const n = Math.min(chunk.length, left);
      randomFillSync(chunk, 0, n);
      writeSync(fd, chunk, 0, n);
      hash.update(chunk.subarray(0, n));
      left -= n;
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/**
 * Write a data set: one file (`set.folder` false) or a folder of `set.count`
 * files of `set.bytes`, under `dir`. Answers the sha256 of each file.
 */
export function writeSet(dir, set) {
  if (!set.folder) {
    return [writeRandom(join(dir, set.name), set.bytes)];
  }
  return Array.from({ length: set.count }, (_, i) => writeRandom(join(dir, set.name, fileName(i)), set.bytes));
}

function sha256(path) {
  return new Promise((resolveHash, reject) => {
    const hash = createHash('sha256');
    createReadStream(path, { highWaterMark: 4 * MiB })
      .on('data', chunk => hash.update(chunk))
      .on('end', () => resolveHash(hash.digest('hex')))
      .on('error', reject);
  });
}

/** Spread `n` indexes over `total` files, first and last included. */
export function sampleIndexes(total, n) {
  const count = Math.min(total, n);
  return [...new Set(Array.from({ length: count }, (_, i) => Math.round((i * (total - 1)) / Math.max(1, count - 1))))];
}

/**
 * Check a copy of a data set at `path`: a single file by size and sha256; a
 * folder by the size of every file and the sha256 of `sample` of them.
 * Answers a problem, or null.
 */
export async function verify(set, hashes, sample, path) {
  if (!set.folder) {
    if (!existsSync(path)) {
      return `${path} is missing`;
    }
    const { size } = statSync(path);
    if (size !== set.bytes) {
      return `${path}: ${size} bytes, expected ${set.bytes}`;
    }
    return (await sha256(path)) === hashes[0] ? null : `${path}: sha256 differs`;
  }
  const names = existsSync(path) ? readdirSync(path) : [];
  if (names.length !== set.count) {
    return `${path}: ${names.length} files, expected ${set.count}`;
  }
  for (let i = 0; i < set.count; i++) {
    const file = join(path, fileName(i));
    if (!existsSync(file) || statSync(file).size !== set.bytes) {
      return `${file}: missing or wrong size`;
    }
  }
  for (const i of sample) {
    if ((await sha256(join(path, fileName(i)))) !== hashes[i]) {
      return `${join(path, fileName(i))}: sha256 differs`;
    }
  }
  return null;
}

/** The modification times of a folder's files (the server's copy), to see that a sync wrote nothing. */
export function mtimes(path) {
  const names = existsSync(path) ? readdirSync(path).sort() : [];
  return names.map(name => `${name} ${statSync(join(path, name)).mtimeMs}`).join('\n');
}
