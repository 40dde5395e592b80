import { summarizeIntegrity } from '../api-jobs';

describe('summarizeIntegrity', () => {
  const job = (verified: Record<string, number>, unverified: Record<string, number>, done: number) => ({
    integrity: { verified, unverified },
    objects: { done, total: done }
  });

  it('is null before any file was written', () => {
    expect(summarizeIntegrity({ objects: { done: 0, total: 1 } })).toBeNull();
  });

  it('says all when every file was verified with one algorithm', () => {
    expect(summarizeIntegrity(job({ crc64nvme: 3 }, {}, 3))).toEqual({ kind: 'all', name: 'crc64nvme' });
  });

  it('says none when no file was, for one reason', () => {
    expect(summarizeIntegrity(job({}, { 'no-checksum': 2 }, 2))).toEqual({ kind: 'none', reason: 'no-checksum' });
  });

  it('counts each otherwise, leaving out zeros', () => {
    expect(summarizeIntegrity(job({ crc64nvme: 2, crc32: 0 }, { composite: 1 }, 3))).toEqual({
      kind: 'mixed',
      verified: [['crc64nvme', 2]],
      unverified: [['composite', 1]]
    });
  });
});
