import { formatBytes } from '../size';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1.0 kB'],
    [1536, '1.5 kB'],
    [409_600, '410 kB'],
    [2_500_000, '2.5 MB'],
    [123_456_789, '123 MB'],
    [999_960, '1.0 MB'],
    [200 * 1000 ** 3, '200 GB'],
    [5 * 1000 ** 6, '5000 PB'],
    [-1536, '-1.5 kB']
  ])('formats %d bytes as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('lets the caller write the number (a locale) and says which form it wants', () => {
    const asked: Array<[number, boolean]> = [];
    const text = formatBytes(1_500_000, (value, whole) => {
      asked.push([value, whole]);
      return 'x';
    });
    expect(text).toBe('x MB');
    expect(asked).toEqual([[1.5, false]]);
  });
});
