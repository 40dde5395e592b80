/**
 * A client of the service's event stream for tests: the events parsed as
 * they arrive, waited for by predicate.
 */
import * as http from 'node:http';

export interface Event {
  event: string;
  data: any;
}

/** An open event stream: the events parsed so far, comments counted. */
export interface Stream {
  response: http.IncomingMessage;
  events: Event[];
  comments: string[];
  /** The first event (from the start) matching `test`, waiting for it if need be. */
  next(test: (e: Event) => boolean): Promise<Event>;
  close(): Promise<void>;
}

export function openStream(socketPath: string, path: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = http.get({ socketPath, path, headers: { Accept: 'text/event-stream' }, agent: false });
    req.on('error', reject);
    req.on('response', response => {
      const events: Event[] = [];
      const comments: string[] = [];
      const waiters: (() => void)[] = [];
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith(':')) {
            comments.push(block);
          } else {
            const fields = Object.fromEntries(
              block.split('\n').map(l => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)])
            );
            events.push({ event: fields.event, data: JSON.parse(fields.data) });
          }
          waiters.splice(0).forEach(w => w());
        }
      });
      const next = async (test: (e: Event) => boolean) => {
        for (;;) {
          const found = events.find(test);
          if (found) {
            return found;
          }
          await new Promise<void>(r => waiters.push(r));
        }
      };
      const close = () =>
        new Promise<void>(r => {
          response.once('close', () => r());
          req.destroy();
        });
      resolve({ response, events, comments, next, close });
    });
  });
}
