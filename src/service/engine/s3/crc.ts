/**
 * The CRCs S3 stores as full-object checksums (CRC32, CRC32C, CRC64NVME):
 * their computation over chunks (hash-wasm's WebAssembly for CRC32C and
 * CRC64NVME, Node's zlib for CRC32) and the combination of two pieces' CRCs
 * into the CRC of both, so parts uploaded and ranges downloaded in parallel
 * make one whole-object value.
 *
 * The combination is zlib's `crc32_combine` generalised to a width: the CRC
 * of A then B is the CRC of A multiplied by x^(8·|B|) modulo the polynomial,
 * plus the CRC of B. All three CRCs are reflected, start from all ones and
 * end XORed with all ones, so the conditioning cancels out in the sum.
 */
import { createCRC32, createCRC64, type IHasher } from 'hash-wasm';
import * as zlib from 'node:zlib';

/** A checksum algorithm S3 stores for a whole object, as its API names it. */
export type CrcName = 'CRC32' | 'CRC32C' | 'CRC64NVME';

interface CrcSpec {
  /** Bits. */
  width: 32 | 64;
  /** The reflected polynomial. */
  poly: bigint;
}

const SPECS: Record<CrcName, CrcSpec> = {
  CRC32: { width: 32, poly: 0xedb88320n },
  CRC32C: { width: 32, poly: 0x82f63b78n },
  CRC64NVME: { width: 64, poly: 0x9a6c9329ac4bc9b5n }
};

/** A running CRC over chunks added in order. */
export interface Crc {
  readonly name: CrcName;
  update(chunk: Uint8Array): void;
  /** The CRC of every byte added so far. */
  value(): bigint;
}

const zlibCrc32 = (zlib as unknown as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/**
 * One hasher per algorithm (per thread), shared by every running CRC: each
 * keeps only its state (the CRC so far, 8 bytes) and loads it around each
 * chunk. A folder of small files has hundreds in flight; a hasher each cost a
 * WebAssembly instance (about 90 KB) made per file.
 */
const hashers = new Map<CrcName, Promise<IHasher>>();
/** The hashers loaded so far (what `crcNow` can make without waiting). */
const loaded = new Map<CrcName, IHasher>();

function hasherOf(name: CrcName): Promise<IHasher> {
  let hasher = hashers.get(name);
  if (hasher === undefined) {
    hasher =
      name === 'CRC64NVME' ? createCRC64(SPECS.CRC64NVME.poly.toString(16)) : createCRC32(Number(SPECS[name].poly));
    hasher.catch(() => hashers.delete(name));
    hashers.set(name, hasher);
  }
  return hasher;
}

const NAMES = Object.keys(SPECS) as CrcName[];

/**
 * A running CRC of `name`. Every algorithm's hasher is loaded with the
 * first, so that `crcNow` can then switch a download's CRC to the one its
 * GET's answer names, before the first byte.
 */
export async function createCrc(name: CrcName): Promise<Crc> {
  const names = NAMES.filter(n => n !== 'CRC32' || zlibCrc32 === undefined);
  const made = await Promise.all(names.map(hasherOf));
  names.forEach((n, i) => loaded.set(n, made[i]));
  return crcNow(name)!;
}

/** A running CRC of `name` made at once; undefined until `createCrc` has loaded the hashers. */
export function crcNow(name: CrcName): Crc | undefined {
  if (name === 'CRC32' && zlibCrc32 !== undefined) {
    let v = 0;
    return { name, update: chunk => void (v = zlibCrc32(chunk, v)), value: () => BigInt(v >>> 0) };
  }
  const hasher = loaded.get(name);
  if (hasher === undefined) {
    return undefined;
  }
  hasher.init();
  let state = hasher.save();
  return {
    name,
    update: chunk => {
      hasher.load(state);
      hasher.update(chunk);
      state = hasher.save();
    },
    value: () => {
      hasher.load(state);
      return BigInt(`0x${hasher.digest('hex')}`);
    }
  };
}

/** The CRC of `data` in one pass. */
export async function crcOf(name: CrcName, data: Uint8Array): Promise<bigint> {
  const crc = await createCrc(name);
  crc.update(data);
  return crc.value();
}

/** a(x)·b(x) modulo the polynomial, both reflected (bit width-1 is x^0). */
function multiply(spec: CrcSpec, a: bigint, b: bigint): bigint {
  let m = 1n << BigInt(spec.width - 1);
  let p = 0n;
  while (m !== 0n) {
    if ((a & m) !== 0n) {
      p ^= b;
      if ((a & (m - 1n)) === 0n) {
        break;
      }
    }
    m >>= 1n;
    b = (b & 1n) !== 0n ? (b >> 1n) ^ spec.poly : b >> 1n;
  }
  return p;
}

/** x^(2^k) modulo each polynomial, k = 0.. (64 entries: enough for any byte count below 2^61). */
const powers = new Map<CrcSpec, bigint[]>();

function powersOf(spec: CrcSpec): bigint[] {
  let table = powers.get(spec);
  if (table === undefined) {
    table = [1n << BigInt(spec.width - 2)]; // x^1
    for (let k = 1; k < 64; k++) {
      table.push(multiply(spec, table[k - 1], table[k - 1]));
    }
    powers.set(spec, table);
  }
  return table;
}

/** x^(8·bytes) modulo the polynomial: the shift of a CRC past `bytes` bytes. */
function shiftOf(spec: CrcSpec, bytes: number): bigint {
  const table = powersOf(spec);
  let p = 1n << BigInt(spec.width - 1); // x^0
  let n = BigInt(bytes) * 8n;
  for (let k = 0; n !== 0n; k++, n >>= 1n) {
    if ((n & 1n) !== 0n) {
      p = multiply(spec, table[k], p);
    }
  }
  return p;
}

/**
 * The CRC of A then B from the CRC of A, the CRC of B and B's length. The
 * shift of the last length asked is kept, so combining many equal parts
 * costs one multiplication each.
 */
export function combineCrc(name: CrcName, first: bigint, second: bigint, secondBytes: number): bigint {
  const spec = SPECS[name];
  if (secondBytes === 0) {
    return first;
  }
  let shift = lastShift.get(spec);
  if (shift?.bytes !== secondBytes) {
    shift = { bytes: secondBytes, value: shiftOf(spec, secondBytes) };
    lastShift.set(spec, shift);
  }
  return multiply(spec, shift.value, first) ^ second;
}

const lastShift = new Map<CrcSpec, { bytes: number; value: bigint }>();

/** The CRC of pieces in order, from each one's CRC and length. */
export function combineAll(name: CrcName, pieces: readonly { crc: bigint; length: number }[]): bigint {
  if (pieces.length === 0) {
    return 0n;
  }
  let crc = pieces[0].crc;
  for (const piece of pieces.slice(1)) {
    crc = combineCrc(name, crc, piece.crc, piece.length);
  }
  return crc;
}

/** The CRC as S3 writes it in `x-amz-checksum-*`: its bytes big-endian, in base64. */
export function crcToBase64(name: CrcName, crc: bigint): string {
  const bytes = SPECS[name].width / 8;
  return Buffer.from(crc.toString(16).padStart(bytes * 2, '0'), 'hex').toString('base64');
}

/** A checksum as S3 writes it, back to a number; null when it is no CRC of that width (a composite one, say). */
export function crcFromBase64(name: CrcName, value: string): bigint | null {
  const buf = Buffer.from(value, 'base64');
  if (buf.length !== SPECS[name].width / 8 || buf.toString('base64') !== value) {
    return null;
  }
  return BigInt(`0x${buf.toString('hex')}`);
}
