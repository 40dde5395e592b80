/**
 * The service's jobs (transfers, copies, deletes), pushed over the
 * `api/events` stream, with polling of `api/jobs` while the stream is down.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { DisposableDelegate, IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import {
  ConflictChoice,
  DISK_EVENT,
  DiskChangedEvent,
  EVENTS_ROUTE,
  FOLDERS_EVENT,
  FolderChanges,
  Job,
  JobsResponse,
  RouteName,
  RouteResponse,
  Routes
} from '../../core';
import { IRequestOptions, SERVICE_PREFIX, requestAPI } from '../request';

/** How often `api/jobs` is polled while the event stream is down, in ms. */
export const FALLBACK_POLL_MS = 3000;

/**
 * The wait before the model opens a new event stream once the browser has
 * given up on one (an answer other than a stream: the server restarting, a
 * proxy's error page), in ms; doubled after each attempt up to
 * RECONNECT_MAX_MS, and back to this once a stream is open.
 */
export const RECONNECT_MS = 1000;
/** The longest wait between attempts to open the event stream, in ms. */
export const RECONNECT_MAX_MS = 60000;

/** `EventSource.CLOSED`: the browser will not reconnect by itself. */
const CLOSED = 2;

/** What the model needs of an `EventSource` (the browser's, or a test's). */
export interface IEventSourceLike {
  onopen: ((event: Event) => void) | null;
  onerror: ((event: Event) => void) | null;
  addEventListener(type: string, listener: (event: MessageEvent) => void): void;
  close(): void;
  readonly readyState: number;
}

/** The jobs of the EOS service, kept current by its event stream. */
export class TransfersModel implements IDisposable {
  constructor(options: TransfersModel.IOptions = {}) {
    this._serverSettings = options.serverSettings ?? ServerConnection.makeSettings();
    this._openEvents =
      options.eventSource ??
      (typeof EventSource === 'undefined' ? null : url => new EventSource(url, { withCredentials: true }));
    this._poll = new Poll({
      auto: false,
      factory: () => this._fetchAll(),
      frequency: { interval: options.pollInterval ?? FALLBACK_POLL_MS, backoff: true, max: 30000 },
      name: 'jupyterlab-eos:transfers',
      standby: options.standby ?? 'when-hidden'
    });
  }

  /** Emitted when a job is added, changes or is forgotten, and when the connection changes. */
  get changed(): ISignal<this, TransfersModel.IChange> {
    return this._changed;
  }

  /** Emitted once for each job seen running that then ended (done, failed, cancelled, interrupted). */
  get ended(): ISignal<this, Job> {
    return this._ended;
  }

  /** Emitted with the EOS folders the service's writes (or an `eos` command's) touched. */
  get foldersChanged(): ISignal<this, FolderChanges> {
    return this._foldersChanged;
  }

  /** Emitted when the service wrote to or deleted from the local disk, and once it measured it again. */
  get diskChanged(): ISignal<this, DiskChangedEvent> {
    return this._diskChanged;
  }

  /** Every job known, oldest first. */
  get jobs(): readonly Job[] {
    return [...this._jobs.values()];
  }

  /** The jobs still running. */
  get running(): Job[] {
    return this.jobs.filter(job => job.state === 'running');
  }

  /** Whether the event stream is open (otherwise the model polls). */
  get connected(): boolean {
    return this._connected;
  }

  /** The last failure to reach the service, if the latest attempt failed. */
  get error(): Error | null {
    return this._error;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** One job by id. */
  job(id: string): Job | undefined {
    return this._jobs.get(id);
  }

  /**
   * The bytes done of a job: the service's count or what this page has sent
   * (a computer upload), whichever is larger.
   */
  bytesDone(job: Job): number {
    return Math.max(job.bytes.done, this._sent.get(job.id) ?? 0);
  }

  /** Open the event stream (once); until it opens, and whenever it is down, poll `api/jobs`. */
  start(): void {
    if (this._started || this._isDisposed) {
      return;
    }
    this._started = true;
    void this._poll.start();
    this._connect();
  }

  /** Fetch every job now (also what the fallback poll does). */
  async refresh(): Promise<void> {
    await this._fetchAll();
  }

  /** Show a job this page started at once, before its first event arrives. */
  track(job: Job): void {
    this._apply(job);
  }

  /**
   * Show a job this page has just started, unless the event stream brought
   * it first: the stream's record is newer (it may already ask a question,
   * and a waiting job sends no further event until it is answered).
   */
  trackStarted(job: Job): void {
    if (!this._jobs.has(job.id)) {
      this._apply(job);
    }
  }

  /**
   * Count bytes this page has sent for a job (computer uploads); the view
   * shows the larger of this and the service's count.
   */
  reportSent(id: string, bytes: number): void {
    this._sent.set(id, bytes);
    const job = this._jobs.get(id);
    if (job) {
      this._changed.emit({ type: 'job', job });
    }
  }

  /**
   * Run `cancel` as well when the user cancels job `id` (a computer upload
   * stops sending). Dispose the result once the job no longer needs it.
   */
  onCancel(id: string, cancel: () => Promise<void> | void): IDisposable {
    this._cancellers.set(id, cancel);
    return new DisposableDelegate(() => {
      if (this._cancellers.get(id) === cancel) {
        this._cancellers.delete(id);
      }
    });
  }

  /** Cancel a running job. */
  async cancel(id: string): Promise<Job> {
    const local = this._cancellers.get(id);
    if (local) {
      await local();
    }
    return this._track(await this._request(Routes.cancelJob, { body: { id } }));
  }

  /** Run a failed, cancelled or interrupted job again; resolves with the new job. */
  async retry(id: string): Promise<Job> {
    const job = this._track(await this._request(Routes.retryJob, { body: { id } }));
    const old = this._jobs.get(id);
    if (old && !old.retriedAs) {
      this._apply({ ...old, retriedAs: job.id, retryable: false });
    }
    return job;
  }

  /** Forget every finished job (or those of `ids`). */
  async clear(ids?: string[]): Promise<void> {
    const answer = await this._request(Routes.clearJobs, { body: ids ? { ids } : {} });
    this._replace(answer);
  }

  /** Answer a job's conflict question. */
  async answer(id: string, question: string, choice: ConflictChoice, applyToAll = false): Promise<Job> {
    return this._track(await this._request(Routes.answerJob, { body: { id, question, choice, applyToAll } }));
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    clearTimeout(this._reconnect);
    this._events?.close();
    this._events = null;
    this._poll.dispose();
    Signal.clearData(this);
  }

  private _track(job: Job): Job {
    this._apply(job);
    return job;
  }

  private _request<R extends RouteName>(route: R, options: IRequestOptions<R>): Promise<RouteResponse<R>> {
    return requestAPI(route, options, this._serverSettings);
  }

  /**
   * Open the event stream. The browser reconnects a stream that ended by
   * itself (its first event, a `jobs` snapshot, re-lists the jobs); one it
   * gave up on is opened again here, after a wait that grows.
   */
  private _connect(): void {
    if (!this._openEvents || this._isDisposed) {
      return; // no EventSource here: polling only
    }
    const settings = this._serverSettings;
    let url = URLExt.join(settings.baseUrl, SERVICE_PREFIX, EVENTS_ROUTE);
    if (settings.token) {
      url += `?token=${encodeURIComponent(settings.token)}`;
    }
    const events = this._openEvents(url);
    this._events = events;
    events.onopen = () => this._setConnected(true);
    events.onerror = () => {
      this._setConnected(false);
      if (events.readyState === CLOSED && this._events === events) {
        events.close();
        this._events = null;
        this._reconnect = setTimeout(() => this._connect(), this._reconnectMs);
        this._reconnectMs = Math.min(this._reconnectMs * 2, RECONNECT_MAX_MS);
      }
    };
    events.addEventListener('jobs', event => this._onMessage('jobs', event));
    events.addEventListener('job', event => this._onMessage('job', event));
    events.addEventListener('forget', event => this._onMessage('forget', event));
    events.addEventListener(FOLDERS_EVENT, event => this._onMessage(FOLDERS_EVENT, event));
    events.addEventListener(DISK_EVENT, event => this._onMessage(DISK_EVENT, event));
  }

  private async _fetchAll(): Promise<void> {
    if (this._connected) {
      return; // the stream is open: the poll stands by
    }
    try {
      this._replace(await this._request(Routes.jobs, { query: {} }));
      this._error = null;
    } catch (reason) {
      this._error = reason instanceof Error ? reason : new Error(String(reason));
      this._changed.emit({ type: 'connection' });
      throw reason; // the poll backs off
    }
  }

  private _setConnected(connected: boolean): void {
    if (this._connected === connected) {
      return;
    }
    this._connected = connected;
    if (connected) {
      this._error = null;
      this._reconnectMs = RECONNECT_MS;
    } else {
      void this._poll.refresh(); // fetch at once, then every interval until the stream is back
    }
    this._changed.emit({ type: 'connection' });
  }

  private _onMessage(
    type: 'jobs' | 'job' | 'forget' | typeof FOLDERS_EVENT | typeof DISK_EVENT,
    event: MessageEvent
  ): void {
    let data: unknown;
    try {
      data = JSON.parse(String(event.data));
    } catch {
      console.warn(`jupyterlab-eos: an "${type}" event that is not JSON`, event.data);
      return;
    }
    if (!this._connected) {
      this._setConnected(true); // an event proves the stream is open (onopen may come late)
    }
    if (type === 'jobs') {
      this._replace(data as JobsResponse);
    } else if (type === 'job') {
      this._apply(data as Job);
    } else if (type === FOLDERS_EVENT) {
      this._foldersChanged.emit(data as FolderChanges);
    } else if (type === DISK_EVENT) {
      this._diskChanged.emit(data as DiskChangedEvent);
    } else {
      this._forget((data as { ids: string[] }).ids ?? []);
    }
  }

  /** A full snapshot: every job as the service has it; jobs it no longer has are forgotten. */
  private _replace(answer: JobsResponse): void {
    const ids = new Set(answer.jobs.map(job => job.id));
    this._forget([...this._jobs.keys()].filter(id => !ids.has(id)));
    answer.jobs.forEach(job => this._apply(job));
  }

  private _apply(job: Job): void {
    const before = this._jobs.get(job.id);
    if (before && before.state !== 'running' && job.state === 'running') {
      return; // a late progress event after the end (a retry is a new job)
    }
    this._jobs.set(job.id, job);
    if (job.state === 'running') {
      this._seenRunning.add(job.id);
    } else {
      this._sent.delete(job.id);
      if (this._seenRunning.delete(job.id)) {
        this._ended.emit(job);
      }
    }
    this._changed.emit({ type: 'job', job });
  }

  private _forget(ids: string[]): void {
    for (const id of ids) {
      if (this._jobs.delete(id)) {
        this._seenRunning.delete(id);
        this._sent.delete(id);
        this._changed.emit({ type: 'forget', id });
      }
    }
  }

  private _cancellers = new Map<string, () => Promise<void> | void>();
  private _changed = new Signal<this, TransfersModel.IChange>(this);
  private _connected = false;
  private _diskChanged = new Signal<this, DiskChangedEvent>(this);
  private _foldersChanged = new Signal<this, FolderChanges>(this);
  private _ended = new Signal<this, Job>(this);
  private _error: Error | null = null;
  private _events: IEventSourceLike | null = null;
  private _isDisposed = false;
  private _jobs = new Map<string, Job>();
  private _openEvents: ((url: string) => IEventSourceLike) | null;
  private _poll: Poll;
  private _reconnect: ReturnType<typeof setTimeout> | undefined;
  private _reconnectMs = RECONNECT_MS;
  private _seenRunning = new Set<string>();
  private _sent = new Map<string, number>();
  private _started = false;
  private _serverSettings: ServerConnection.ISettings;
}

/** The namespace for `TransfersModel` statics. */
export namespace TransfersModel {
  /** The options to create the model. */
  export interface IOptions {
    /** The Jupyter server the service is reached through; the page's by default. */
    serverSettings?: ServerConnection.ISettings;
    /** Opens the event stream; the browser's `EventSource` by default (tests pass a fake); without either, the model polls. */
    eventSource?: (url: string) => IEventSourceLike;
    /** Milliseconds between polls of `api/jobs` while the stream is down (default `FALLBACK_POLL_MS`). */
    pollInterval?: number;
    /** When the fallback poll stands by (default `'when-hidden'`; tests pass `'never'`). */
    standby?: Poll.Standby;
  }

  /** What changed: a job (added or updated), a job forgotten, or the connection. */
  export type IChange = { type: 'job'; job: Job } | { type: 'forget'; id: string } | { type: 'connection' };
}
