import * as apputils from '@jupyterlab/apputils';
import { ServerConnection } from '@jupyterlab/services';
import { nullTranslator } from '@jupyterlab/translation';

import { CreateUploadsRequest, Job, Routes } from '../../core';
import { EosRequestError, requestAPI } from '../request';
import { ILocalFile, PARTS_IN_FLIGHT, filesFromDataTransfer, uploadFromComputer } from '../transfers/computer';
import { TransfersModel } from '../transfers/model';
import { job } from './fake-actions';

jest.mock('@jupyterlab/apputils', () => ({ ...jest.requireActual('@jupyterlab/apputils'), showDialog: jest.fn() }));
jest.mock('../request', () => ({ ...jest.requireActual('../request'), requestAPI: jest.fn() }));

const mockRequest = requestAPI as jest.MockedFunction<typeof requestAPI>;
const mockDialog = apputils.showDialog as jest.MockedFunction<typeof apputils.showDialog>;
const trans = nullTranslator.load('jupyterlab_eos');
const DEST = 'e://users/me/in/';
const PART = 10;

/** Read a Blob as text (Node's Blob has `text()`, jsdom's only FileReader). */
function text(blob: Blob): Promise<string> {
  if (typeof blob.text === 'function') {
    return blob.text();
  }
  return new Promise(resolve => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.readAsText(blob);
  });
}

const local = (name: string, content: string, relativePath = name): ILocalFile => ({
  file: new File([content], name, { lastModified: Date.UTC(2026, 0, 2) }),
  relativePath
});

interface IPartCall {
  id: string;
  n: number;
  body: Blob;
}

/** A scripted service for the upload routes; parts can be held to watch what is in flight. */
class FakeUploads {
  creates: CreateUploadsRequest[] = [];
  parts: IPartCall[] = [];
  completed: string[] = [];
  aborted: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  hold = false;
  conflictFirst = false;
  failPart: string | null = null;
  private _held: (() => void)[] = [];

  release(): void {
    this._held.splice(0).forEach(go => go());
  }

  request = async (route: string, options: any): Promise<unknown> => {
    const theJob = (state: Job['state']) => job('up1', state, { kind: 'computer-upload' });
    switch (route) {
      case Routes.uploads: {
        const body = options.body as CreateUploadsRequest;
        this.creates.push(body);
        if (this.conflictFirst && body.conflict === 'fail') {
          throw new EosRequestError('Conflict', '1 target exists', 409, `${DEST}a.txt`);
        }
        return {
          job: theJob('running'),
          partSize: PART,
          uploads: body.files.map((f, i) => ({
            id: body.conflict === 'skip' && i === 0 ? null : `u${i}`,
            destination: f.destination
          }))
        };
      }
      case Routes.uploadPart: {
        const { id, n } = options.query;
        this.parts.push({ id, n, body: options.body });
        this.inFlight++;
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
        try {
          if (this.hold) {
            await new Promise<void>((resolve, reject) => {
              this._held.push(resolve);
              options.signal?.addEventListener('abort', () => reject(EosRequestError.abort()));
            });
          } else {
            await new Promise(resolve => setTimeout(resolve, 1));
          }
        } finally {
          this.inFlight--;
        }
        if (this.failPart === `${id}/${n}`) {
          throw new EosRequestError('Upstream', 'S3 went away', 502);
        }
        return { n, received: 0 };
      }
      case Routes.completeUpload:
        this.completed.push(options.body.id);
        return theJob(this.completed.length === 2 ? 'done' : 'running');
      case Routes.abortUpload:
        this.aborted.push(options.body.id);
        return theJob('cancelled');
      case Routes.cancelJob:
        return theJob('cancelled');
    }
    throw new EosRequestError('NotFound', `no route ${route}`, 404);
  };
}

describe('uploadFromComputer', () => {
  let fake: FakeUploads;
  let transfers: TransfersModel;
  let serverSettings: ServerConnection.ISettings;
  let fetched: { url: string; init: RequestInit }[];

  beforeEach(() => {
    fake = new FakeUploads();
    mockRequest.mockReset();
    mockRequest.mockImplementation(fake.request as typeof requestAPI);
    mockDialog.mockReset();
    fetched = [];
    serverSettings = ServerConnection.makeSettings({
      baseUrl: 'http://localhost:8888/',
      fetch: (async (url: string, init: RequestInit) => {
        fetched.push({ url, init });
        return new Response('{}');
      }) as any
    });
    transfers = new TransfersModel({ serverSettings, standby: 'never' });
  });

  afterEach(() => transfers.dispose());

  const deps = () => ({ serverSettings, transfers, trans });

  it('creates the job, slices every file into raw parts and completes each upload', async () => {
    const files = [local('a.txt', 'abcdefghijklmnopqrstuvwxy'), local('b.bin', 'x'.repeat(20), 'dir/sub/b.bin')];
    const result = await uploadFromComputer(deps(), files, DEST);

    expect(fake.creates).toEqual([
      {
        files: [
          { destination: `${DEST}a.txt`, size: 25, modified: '2026-01-02T00:00:00.000Z' },
          { destination: `${DEST}dir/sub/b.bin`, size: 20, modified: '2026-01-02T00:00:00.000Z' }
        ],
        conflict: 'fail'
      }
    ]);
    const byUpload = (id: string) =>
      fake.parts
        .filter(p => p.id === id)
        .sort((x, y) => x.n - y.n)
        .map(p => [p.n, p.body.size]);
    expect(byUpload('u0')).toEqual([
      [1, 10],
      [2, 10],
      [3, 5]
    ]);
    expect(byUpload('u1')).toEqual([
      [1, 10],
      [2, 10]
    ]);
    // Raw bytes: Blob slices of the file, never strings or base64.
    const second = fake.parts.find(p => p.id === 'u0' && p.n === 2)!;
    expect(second.body.constructor.name).toBe('Blob');
    expect(await text(second.body)).toBe('klmnopqrst');
    expect(fake.completed.sort()).toEqual(['u0', 'u1']);
    expect(result?.state).toBe('done');
    expect(transfers.job('up1')?.state).toBe('done');
  });

  it(`keeps at most ${PARTS_IN_FLIGHT} parts in flight over all the files, and reports the bytes sent`, async () => {
    fake.hold = true;
    const sent = jest.spyOn(transfers, 'reportSent');
    const files = [local('a', 'a'.repeat(30)), local('b', 'b'.repeat(30)), local('c', 'c'.repeat(5))];
    const done = uploadFromComputer(deps(), files, DEST);
    for (let i = 0; i < 20 && fake.parts.length < PARTS_IN_FLIGHT; i++) {
      await new Promise(resolve => setTimeout(resolve, 5));
    }
    expect(fake.inFlight).toBe(PARTS_IN_FLIGHT);
    expect(transfers.job('up1')).toBeDefined(); // shown at once
    while (fake.completed.length < 3) {
      fake.release();
      await new Promise(resolve => setTimeout(resolve, 5));
    }
    await done;
    expect(fake.maxInFlight).toBe(PARTS_IN_FLIGHT);
    expect(fake.parts).toHaveLength(7);
    const reported = sent.mock.calls.map(([, bytes]) => bytes);
    expect(reported).toHaveLength(7);
    expect(reported).toEqual([...reported].sort((x, y) => x - y));
    expect(reported[reported.length - 1]).toBe(65);
  });

  it('sends one empty part for an empty file', async () => {
    await uploadFromComputer(deps(), [local('empty', '')], DEST);
    expect(fake.parts.map(p => [p.id, p.n, p.body.size])).toEqual([['u0', 1, 0]]);
    expect(fake.completed).toEqual(['u0']);
  });

  it('asks when targets exist and uploads again with the choice; skipped files send nothing', async () => {
    fake.conflictFirst = true;
    mockDialog.mockResolvedValue({ button: { label: 'Skip', accept: true }, value: null, isChecked: null } as any);
    await uploadFromComputer(deps(), [local('a.txt', 'aaa'), local('c.txt', 'ccc')], DEST);
    expect(mockDialog).toHaveBeenCalledTimes(1);
    const body = mockDialog.mock.calls[0][0]!.body as any;
    expect(body.node.textContent).toContain(`${DEST}a.txt`);
    expect(mockDialog.mock.calls[0][0]!.buttons!.map(b => b.label)).toEqual([
      'Cancel',
      'Keep both',
      'Skip',
      'Overwrite'
    ]);
    expect(fake.creates.map(c => c.conflict)).toEqual(['fail', 'skip']);
    expect(fake.parts.map(p => p.id)).toEqual(['u1']);
  });

  it('starts nothing when the conflict dialog is cancelled', async () => {
    fake.conflictFirst = true;
    mockDialog.mockResolvedValue({ button: { label: 'Cancel', accept: false }, value: null, isChecked: null } as any);
    expect(await uploadFromComputer(deps(), [local('a.txt', 'aaa')], DEST)).toBeNull();
    expect(fake.creates).toHaveLength(1);
    expect(fake.parts).toHaveLength(0);
  });

  it("stops sending and aborts every open upload when the job's Cancel is pressed", async () => {
    fake.hold = true;
    const done = uploadFromComputer(deps(), [local('a', 'a'.repeat(50)), local('b', 'b'.repeat(50))], DEST);
    while (fake.parts.length < PARTS_IN_FLIGHT) {
      await new Promise(resolve => setTimeout(resolve, 5));
    }
    await transfers.cancel('up1');
    const result = await done;
    expect(fake.aborted.sort()).toEqual(['u0', 'u1']);
    expect(fake.parts).toHaveLength(PARTS_IN_FLIGHT); // nothing sent after the cancel
    expect(fake.completed).toEqual([]);
    expect(result?.state).toBe('cancelled');
  });

  it('aborts the open uploads when a part fails', async () => {
    fake.failPart = 'u0/2';
    jest.spyOn(apputils.Notification, 'error').mockReturnValue('n');
    await uploadFromComputer(deps(), [local('a', 'a'.repeat(30)), local('b', 'b'.repeat(5))], DEST);
    expect(fake.aborted).toContain('u0');
    expect(fake.completed).not.toContain('u0');
    expect(apputils.Notification.error).toHaveBeenCalled();
  });

  it('aborts the open uploads with keepalive requests carrying the XSRF cookie when the page goes away', async () => {
    document.cookie = '_xsrf=abc123; path=/';
    fake.hold = true;
    const done = uploadFromComputer(deps(), [local('a', 'a'.repeat(50))], DEST);
    while (fake.parts.length < PARTS_IN_FLIGHT) {
      await new Promise(resolve => setTimeout(resolve, 5));
    }
    window.dispatchEvent(new Event('pagehide'));
    await done;
    expect(fetched).toHaveLength(1);
    const { url, init } = fetched[0];
    expect(url).toBe('http://localhost:8888/eos/api/uploads/abort');
    expect(init.method).toBe('POST');
    expect(init.keepalive).toBe(true);
    expect((init.headers as Record<string, string>)['X-XSRFToken']).toBe('abc123');
    expect(JSON.parse(String(init.body))).toEqual({ id: 'u0' });
    // The listeners are gone once the upload ended.
    window.dispatchEvent(new Event('pagehide'));
    expect(fetched).toHaveLength(1);
  });
});

describe('filesFromDataTransfer', () => {
  /** A fake FileSystemEntry tree; directories answer `readEntries` two entries at a time. */
  function fileEntry(name: string, content = name): any {
    const file = new File([content], name);
    return { name, isFile: true, isDirectory: false, file: (ok: (f: File) => void) => ok(file) };
  }
  function dirEntry(name: string, children: any[]): any {
    return {
      name,
      isFile: false,
      isDirectory: true,
      createReader: () => {
        let at = 0;
        return {
          readEntries: (ok: (batch: any[]) => void) => {
            const batch = children.slice(at, at + 2);
            at += batch.length;
            setTimeout(() => ok(batch), 0);
          }
        };
      }
    };
  }

  it('walks dropped folders to the end (readEntries until it answers nothing) and keeps plain files', async () => {
    const tree = dirEntry('run', [
      fileEntry('a.bam'),
      fileEntry('b.bam'),
      fileEntry('c.bam'),
      dirEntry('sub', [fileEntry('d.vcf')]),
      dirEntry('empty', [])
    ]);
    const items = [
      { kind: 'file', webkitGetAsEntry: () => tree, getAsFile: () => null },
      { kind: 'file', webkitGetAsEntry: () => fileEntry('top.txt'), getAsFile: () => null },
      { kind: 'string', webkitGetAsEntry: () => null, getAsFile: () => null }
    ];
    const files = await filesFromDataTransfer({ items, files: [] } as any);
    expect(files.map(f => f.relativePath)).toEqual(['run/a.bam', 'run/b.bam', 'run/c.bam', 'run/sub/d.vcf', 'top.txt']);
    expect(files[0].file).toBeInstanceOf(File);
  });

  it('falls back to dt.files without items', async () => {
    const file = new File(['x'], 'x.txt');
    const files = await filesFromDataTransfer({ files: [file] } as any);
    expect(files).toEqual([{ file, relativePath: 'x.txt' }]);
  });
});
