/**
 * The http(s) client of imports: a request sent on a kept-alive connection
 * that the server closes at that very moment (its idle timeout racing the
 * reuse) is sent again on a new connection, not failed as ECONNRESET.
 */
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { fetchUrl } from '../engine/transfer/urlget';

describe('fetchUrl', () => {
  let server: http.Server;
  let base: string;
  const served: string[] = [];

  beforeAll(async () => {
    // Every second request on a connection is dropped unanswered, as a server
    // closing an idle connection just as the client reuses it.
    server = http.createServer((req, res) => {
      const socket = req.socket as typeof req.socket & { requests?: number };
      socket.requests = (socket.requests ?? 0) + 1;
      if (socket.requests > 1) {
        served.push(`dropped ${req.url}`);
        socket.destroy();
        return;
      }
      served.push(`answered ${req.url}`);
      res.end('hello');
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
  });

  const read = async (path: string) => {
    const got = await fetchUrl(new URL(`${base}${path}`), new AbortController().signal);
    const chunks: Buffer[] = [];
    for await (const chunk of got.response) {
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString();
  };

  it('sends a request again on a new connection when a reused one is reset before any answer', async () => {
    expect(await read('/a')).toBe('hello');
    // The first connection is kept alive and reused for /b, which the server drops.
    expect(await read('/b')).toBe('hello');
    expect(served).toEqual(['answered /a', 'dropped /b', 'answered /b']);
  });

  it('fails a reset on a new connection, naming the URL', async () => {
    const fresh = http.createServer((req, res) => {
      req.socket.destroy();
      res.end();
    });
    await new Promise<void>(resolve => fresh.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(fresh.address() as AddressInfo).port}/x`;
    try {
      await expect(fetchUrl(new URL(url), new AbortController().signal)).rejects.toThrow(`Cannot read ${url}: `);
    } finally {
      await new Promise(resolve => fresh.close(resolve));
    }
  });
});
