/**
 * Server-sent events: a route kind whose answer is a `text/event-stream`
 * that stays open, the only kind of response jupyter-server-proxy streams
 * (it buffers every other response whole).
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { EosError } from '../../core';

/** How often a comment line keeps an idle stream (and the proxies on its way) alive. */
export const KEEP_ALIVE_MS = 15000;
/** A client this far behind (bytes queued) is dropped; its EventSource reconnects and gets a fresh snapshot. */
export const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

/** Where a stream route writes its events. */
export interface EventSink {
  /** Send one event with a JSON payload. */
  send(event: string, data: unknown): void;
}

/**
 * What a stream route answers instead of JSON: `open` is called once the
 * stream's headers are sent and returns the function that stops its events
 * (called when the client goes away or the server closes).
 */
export class StreamReply {
  constructor(readonly open: (sink: EventSink) => () => void) {}
}

/**
 * Refuse a stream to a client that did not ask for one: jupyter-server-proxy
 * streams only responses to `Accept: text/event-stream` (EventSource sends it)
 * and would hold any other until its 300 s timeout.
 *
 * @throws EosError `InvalidRequest`
 */
export function checkAcceptsEvents(req: IncomingMessage): void {
  const accept = (req.headers.accept ?? '').split(',').map(t => t.split(';')[0].trim().toLowerCase());
  if (!accept.includes('text/event-stream')) {
    throw new EosError(
      'InvalidRequest',
      'This route streams server-sent events: send Accept: text/event-stream (use an EventSource)'
    );
  }
}

/** Answer `reply` as a `text/event-stream` until the client goes away. */
export function openEventStream(res: ServerResponse, reply: StreamReply, keepAliveMs: number = KEEP_ALIVE_MS): void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Accel-Buffering': 'no',
    'X-Content-Type-Options': 'nosniff'
  });
  res.flushHeaders();
  const write = (text: string) => {
    if (res.writableEnded || res.destroyed) {
      return;
    }
    if (res.writableLength > MAX_QUEUED_BYTES) {
      res.destroy();
      return;
    }
    res.write(text);
  };
  const timer = setInterval(() => write(': keep-alive\n\n'), keepAliveMs);
  timer.unref?.();
  const stop = reply.open({
    // JSON has no raw line breaks, so each payload is one `data:` line.
    send: (event, data) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
  });
  const end = () => {
    clearInterval(timer);
    stop();
  };
  if (res.destroyed) {
    end();
  } else {
    res.once('close', end);
  }
}
