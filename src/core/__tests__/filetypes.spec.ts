import { GENOMICS_TYPES, dottedExtensions, genomicsTypeOf, typeExtension } from '../filetypes';

describe('genomics file types', () => {
  it.each([
    ['reads.fastq', 'fastq'],
    ['reads.FQ.gz', 'fastq'],
    ['e://org/run/a.bam', 'bam'],
    ['a.cram', 'cram'],
    ['a.sam', 'sam'],
    ['calls.vcf.bgz', 'vcf'],
    ['calls.bcf', 'bcf'],
    ['peaks.bed.gz', 'bed'],
    ['ref.fna', 'fasta'],
    ['genes.gtf.gz', 'gff']
  ])('knows %s as %s, compressed or not', (name, type) => {
    expect(genomicsTypeOf(name)?.name).toBe(type);
  });

  it('knows nothing else: other types, a bare compression suffix, no extension', () => {
    expect(['a.csv', 'a.gz', 'fastq', 'a.bam.zip', 'a.vcf.tbi'].map(genomicsTypeOf)).toEqual([
      null,
      null,
      null,
      null,
      null
    ]);
  });

  it('reads the type through one compression suffix only', () => {
    expect(['a.vcf.gz', 'a.gz', 'a', 'a.tar.gz', 'dir.d/a'].map(typeExtension)).toEqual(['vcf', 'gz', '', 'tar', '']);
  });

  it('lists each extension once across the table, with its compressed forms', () => {
    const all = GENOMICS_TYPES.flatMap(t => t.extensions);
    expect(new Set(all).size).toBe(all.length);
    const vcf = GENOMICS_TYPES.find(t => t.name === 'vcf')!;
    expect(dottedExtensions(vcf)).toEqual(['.vcf', '.vcf.gz', '.vcf.bgz']);
  });
});
