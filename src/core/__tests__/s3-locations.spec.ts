/**
 * S3 locations outside EOS (issue 17): their paths, URIs, access and the
 * canonical form of an added location.
 */
import { accessOf, assertWritable } from '../access';
import { locationUri } from '../api-locations';
import { pythonSnippet, pythonSnippets } from '../snippet';
import { parseAnyLocation, parseLocation, toS3 } from '../mapping';
import { EosPath, basename, child, externalPath, formatEosUri, isExternal, isFolder, parent, parseUri } from '../uri';
import { ctx, expectError, GENCOVE_BUCKET, ORG_BUCKET, org, outside } from './fixtures';

const ext = (bucket: string, key: string): EosPath => ({ namespace: 's3', user: null, bucket, key });

describe('paths outside EOS', () => {
  it.each([
    ['s3://1000genomes/', ext('1000genomes', '')],
    ['s3://1000genomes/phase3/', ext('1000genomes', 'phase3/')],
    ['s3://1000genomes/phase3/a b%#?.vcf.gz', ext('1000genomes', 'phase3/a b%#?.vcf.gz')]
  ])('%s parses, maps to its own bucket and key, and formats back', (uri, path) => {
    expect(parseUri(uri)).toEqual(path);
    expect(parseAnyLocation(uri, ctx)).toEqual(path);
    expect(formatEosUri(path)).toBe(uri);
    expect(toS3(path, ctx)).toEqual({ bucket: path.bucket, key: path.key });
    expect(isExternal(path)).toBe(true);
  });

  it('stays inside EOS for the EOS buckets (parseAnyLocation = parseLocation there)', () => {
    expect(parseAnyLocation(`s3://${ORG_BUCKET}/shared/files/a`, ctx)).toEqual(org('a'));
    expectError(() => parseAnyLocation(`s3://${ORG_BUCKET}/x`, ctx), 'InvalidUri', outside(`s3://${ORG_BUCKET}/x`));
    expect(parseUri('e://org/a')).toEqual(org('a'));
  });

  it('parseLocation still refuses other buckets (the path bar and the strict callers)', () => {
    expectError(() => parseLocation('s3://other-bucket/a', ctx), 'InvalidUri', /is outside EOS/);
  });

  it('names, parents and children stay in the bucket', () => {
    const folder = ext('pub', 'a/b/');
    expect(basename(folder)).toBe('b');
    expect(basename(ext('pub', ''))).toBe('pub');
    expect(parent(folder)).toEqual(ext('pub', 'a/'));
    expect(parent(ext('pub', 'a/'))).toEqual(ext('pub', ''));
    expect(parent(ext('pub', ''))).toBeNull();
    expect(child(folder, 'c.txt', 'object')).toEqual(ext('pub', 'a/b/c.txt'));
    expect(isFolder(ext('pub', ''))).toBe(true);
    expect(externalPath({ bucket: 'pub', key: 'k' })).toEqual(ext('pub', 'k'));
  });

  it('is read-only, with a message that says why', () => {
    expect(accessOf(ext('pub', 'a'), ctx)).toBe('read');
    expectError(() => assertWritable(ext('pub', 'a/'), ctx), 'ReadOnly', /outside EOS are read-only/);
  });
});

describe('locationUri', () => {
  it.each([
    ['s3://pub', 's3://pub/'],
    ['  s3://pub/phase3  ', 's3://pub/phase3/'],
    ['s3://pub/phase3/', 's3://pub/phase3/']
  ])('%j is %s', (text, uri) => {
    expect(locationUri(text, ctx)).toBe(uri);
  });

  it('refuses what is not an s3:// URI, and the EOS buckets', () => {
    expectError(() => locationUri('e://org/', ctx), 'InvalidUri', /starts with s3:\/\//);
    expectError(() => locationUri('s3://No_Such/', ctx), 'InvalidUri', /not a valid S3 bucket name/);
    expectError(() => locationUri(`s3://${GENCOVE_BUCKET}/files/`, ctx), 'InvalidUri', /holds EOS/);
    expect(locationUri(`s3://${GENCOVE_BUCKET}/files/`, null)).toBe(`s3://${GENCOVE_BUCKET}/files/`);
  });
});

describe('the Python snippet of an S3 location outside EOS', () => {
  it('is File(path_s3=...) beside File(path_e=...)', () => {
    expect(pythonSnippet('s3://1000genomes/phase3/a.vcf.gz')).toBe('File(path_s3="s3://1000genomes/phase3/a.vcf.gz")');
    expect(pythonSnippets(['e://org/a', 's3://pub/b'])).toBe(
      '[\n    File(path_e="e://org/a"),\n    File(path_s3="s3://pub/b"),\n]'
    );
  });
});
