/**
 * An EventSource the lab specs drive in place of the browser's.
 */
import { IEventSourceLike } from '../transfers/model';

/** An EventSource the test drives: open, fail, and send named events. */
export class FakeEventSource implements IEventSourceLike {
  static last: FakeEventSource | null = null;
  /** Every stream opened, oldest first. */
  static made: FakeEventSource[] = [];
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  readyState = 0;
  closed = false;

  constructor(public url: string) {
    FakeEventSource.last = this;
    FakeEventSource.made.push(this);
  }

  addEventListener(type: string, listener: (event: MessageEvent) => void): void {
    this._listeners.set(type, [...(this._listeners.get(type) ?? []), listener]);
  }

  close(): void {
    this.closed = true;
    this.readyState = 2;
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }

  /** The stream ended (a proxy's time limit, a network cut): the browser reconnects by itself. */
  fail(): void {
    this.readyState = 0;
    this.onerror?.(new Event('error'));
  }

  /** The browser gave up (the answer was not a stream: a proxy's error page, the server restarting). */
  giveUp(): void {
    this.readyState = 2;
    this.onerror?.(new Event('error'));
  }

  send(type: string, data: unknown): void {
    const event = new MessageEvent(type, { data: JSON.stringify(data) });
    (this._listeners.get(type) ?? []).forEach(listener => listener(event));
  }

  private _listeners = new Map<string, ((event: MessageEvent) => void)[]>();
}
