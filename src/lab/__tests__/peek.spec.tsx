/**
 * The Peek view: FASTQ reads with all four of their lines, and "Show N"
 * that keeps its label and the shown count until the new answer arrives.
 */
import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { act } from 'react';

import { HeadQuery, HeadResponse } from '../../core';
import { createPeekWidget } from '../open/peek';

(globalThis as any).IS_REACT_ACT_ENVIRONMENT = true;

const trans = nullTranslator.load('jupyterlab_eos');

async function settle(): Promise<void> {
  await act(async () => {
    await new Promise(resolve => setTimeout(resolve, 0));
  });
}

/** `n` reads of 8 bases, with qualities unlike their sequence. */
function reads(n: number): string[] {
  return Array.from({ length: n }, (_, i) => [`@r${i + 1} 1:N`, 'ACGTACGT', '+', `II#${i}IIII`.slice(0, 8)]).flat();
}

function answer(lines: string[]): HeadResponse {
  return {
    uri: 'e://org/a.fastq.gz',
    size: 100_000,
    etag: '"e"',
    compressed: true,
    header: [],
    lines,
    bytesRead: 1000,
    bytesDecoded: 3000,
    complete: false,
    cut: 0
  };
}

describe('Peek', () => {
  let widget: Widget;
  let asked: HeadQuery[];
  let answers: ((r: HeadResponse) => void)[];

  beforeEach(async () => {
    asked = [];
    answers = [];
    widget = createPeekWidget({
      uri: 'e://org/a.fastq.gz',
      records: 2,
      trans,
      head: query => {
        asked.push(query);
        return new Promise(resolve => answers.push(resolve));
      }
    });
    await act(async () => Widget.attach(widget, document.body));
    await settle();
  });

  afterEach(async () => {
    await act(async () => widget.dispose());
  });

  const node = () => widget.node;
  const showMore = () =>
    [...node().querySelectorAll('button')].find(b => /^Show \d+$/.test(b.textContent ?? '')) as HTMLButtonElement;

  it('shows each FASTQ read as its four lines, qualities included', async () => {
    await act(async () => answers[0](answer(reads(2))));
    await settle();
    const records = [...node().querySelectorAll('li')];
    expect(records).toHaveLength(2);
    expect(records[0].getAttribute('aria-label')).toBe('Read 1: r1 1:N (8 bases)');
    expect(records[0].querySelector('pre')!.textContent).toBe('@r1 1:N\nACGTACGT\n+\nII#0IIII');
    expect(records[1].querySelector('pre')!.textContent!.split('\n')).toEqual(['@r2 1:N', 'ACGTACGT', '+', 'II#1IIII']);
  });

  it('keeps "Show N" and the count until the new reads arrive, saying it is reading meanwhile', async () => {
    await act(async () => answers[0](answer(reads(2))));
    await settle();
    expect(showMore().textContent).toBe('Show 4');
    await act(async () => showMore().click());
    await settle();
    expect(asked.map(q => q.lines)).toEqual([8, 16]);
    // Asked for 4 reads; the 2 shown stay, and so does the label, while the answer is on its way.
    expect(showMore().textContent).toBe('Show 4');
    expect(showMore().disabled).toBe(true);
    expect(node().querySelectorAll('li')).toHaveLength(2);
    expect(node().querySelector('[role="status"]')!.textContent).toMatch(
      /^First 2 reads .*Reading e:\/\/org\/a\.fastq\.gz…/
    );
    await act(async () => answers[1](answer(reads(4))));
    await settle();
    expect(node().querySelectorAll('li')).toHaveLength(4);
    expect(showMore().textContent).toBe('Show 8');
    expect(showMore().disabled).toBe(false);
    expect(node().querySelector('[role="status"]')!.textContent).not.toMatch(/Reading/);
  });
});
