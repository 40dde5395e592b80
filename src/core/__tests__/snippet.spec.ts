import { execFileSync } from 'node:child_process';

import { pythonSnippet, pythonSnippets, pythonString, shellWord } from '../snippet';

describe('pythonString', () => {
  it.each([
    ['plain', '"plain"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['back\\slash', '"back\\\\slash"'],
    ['tab\there\nline', '"tab\\there\\nline"'],
    ['bell\u0007', '"bell\\x07"'],
    ['sep\u2028', '"sep\\u2028"']
  ])('writes %j as %s', (text, literal) => {
    expect(pythonString(text)).toBe(literal);
  });
});

describe('pythonSnippets', () => {
  it('gives one File(...) for one URI', () => {
    expect(pythonSnippets(['e://org/a.bam'])).toBe('File(path_e="e://org/a.bam")');
  });

  it('gives a Python list, one File a line, for several', () => {
    expect(pythonSnippets(['e://org/a.bam', 'e://org/b "2".bam'])).toBe(
      `[\n    ${pythonSnippet('e://org/a.bam')},\n    File(path_e="e://org/b \\"2\\".bam"),\n]`
    );
  });
});

describe('shellWord', () => {
  const names = ['e://org/a.bam', "e://org/it's here/", 'e://org/$HOME `x` "q" \\ *?', 'e://org/new\nline'];

  it('leaves a plain URI bare and quotes the rest', () => {
    expect(shellWord('e://users/me/reads_1.fastq.gz')).toBe('e://users/me/reads_1.fastq.gz');
    expect(shellWord('e://org/a b')).toBe("'e://org/a b'");
  });

  it('reads back as the same single word in a POSIX shell', () => {
    const printed = execFileSync('sh', ['-c', `printf '%s\\0' ${names.map(shellWord).join(' ')}`]).toString();
    expect(printed.split('\0').slice(0, -1)).toEqual(names);
  });
});
