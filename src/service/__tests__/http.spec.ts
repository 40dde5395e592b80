/**
 * The HTTP layer: XSRF and cross-site checks, routing, bodies, headers, log.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { Running, S3, deletePrefix, putObjects, startService, testClient, uniqueName, expectError } from './harness';

const F = uniqueName('http');
const URI = `e://org/${F}/x.txt`;
const BODY = JSON.stringify({ uri: URI });
const TOKEN = '2|1a2b3c4d|5e6f7a8b9c0d1e2f|1700000000';

let client: S3Client;
let svc: Running;

beforeAll(async () => {
  client = testClient();
  await putObjects(client, S3.orgBucket, { [`shared/files/${F}/x.txt`]: 'x' });
  svc = await startService();
});

afterAll(async () => {
  await svc.close();
  await deletePrefix(client, S3.orgBucket, `shared/files/${F}/`);
  client.destroy();
});

/** POST a valid presign request with exactly these headers (plus the content type). */
const presignWith = (headers: Record<string, string>) =>
  svc.request({
    method: 'POST',
    path: '/api/presign',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: BODY
  });

describe('XSRF', () => {
  it.each([
    ['no token and no Authorization', {}],
    ['a cookie but no header', { Cookie: `_xsrf=${TOKEN}` }],
    ['a header but no cookie', { 'X-XSRFToken': TOKEN }],
    ['a mismatched token', { Cookie: `_xsrf=${TOKEN}`, 'X-XSRFToken': `${TOKEN}0` }],
    ['a token of the right length but wrong', { Cookie: `_xsrf=${TOKEN}`, 'X-XSRFToken': TOKEN.replace('1a', '1b') }],
    ['an empty cookie and header', { Cookie: '_xsrf=', 'X-XSRFToken': '' }],
    ['the token in another cookie', { Cookie: `other=${TOKEN}`, 'X-XSRFToken': TOKEN }],
    // Jupyter falls back to the cookie login when a token is wrong
    ['a bogus Authorization header beside the cookies', { Authorization: 'token bogus', Cookie: `_xsrf=${TOKEN}` }]
  ])('refuses a POST with %s', async (_what, headers) => {
    const reply = await presignWith(headers);
    expectError(reply, 403, 'Forbidden', /X-XSRFToken/);
  });

  it.each([
    ['a matching cookie and header', { Cookie: `_xsrf=${TOKEN}`, 'X-XSRFToken': TOKEN }],
    ['a matching cookie among others', { Cookie: `a=1; _xsrf=${TOKEN}; username-x="y"`, 'X-XSRFToken': TOKEN }],
    ['an Authorization header and no cookies (token auth)', { Authorization: 'token abc' }],
    [
      'an Authorization header, cookies and a matching token',
      { Authorization: 'token abc', Cookie: `_xsrf=${TOKEN}`, 'X-XSRFToken': TOKEN }
    ]
  ])('accepts a POST with %s', async (_what, headers) => {
    const reply = await presignWith(headers);
    expect(reply.status).toBe(200);
    expect(reply.body.url).toContain('X-Amz-Signature=');
  });

  it('checks no token on GET', async () => {
    expect((await svc.get('/api/whoami')).status).toBe(200);
  });
});

describe('cross-site requests', () => {
  it.each([
    ['GET', '/api/whoami'],
    ['POST', '/api/presign']
  ])('refuses %s %s with Sec-Fetch-Site: cross-site', async (method, path) => {
    const reply = await svc.request({
      method,
      path,
      headers: { 'Sec-Fetch-Site': 'cross-site', Authorization: 'token abc', 'Content-Type': 'application/json' },
      body: method === 'POST' ? BODY : undefined
    });
    expect(reply.status).toBe(403);
    expect(reply.body).toEqual({ code: 'Forbidden', message: 'Cross-site requests are not allowed' });
  });

  it.each(['same-origin', 'same-site', 'none'])('accepts Sec-Fetch-Site: %s', async site => {
    expect((await svc.get('/api/whoami', undefined, { 'Sec-Fetch-Site': site })).status).toBe(200);
  });
});

describe('routing', () => {
  it.each(['/api/nope', '/api/whoami/', '/api', '/api/list/e://org/x', '//api/whoami'])(
    'answers %s with 404',
    async path => {
      const reply = await svc.get(path);
      expectError(reply, 404, 'NotFound');
    }
  );

  it('answers the wrong method with 405 and Allow', async () => {
    const get = await svc.get('/api/presign');
    expectError(get, 405, 'MethodNotAllowed');
    expect(get.headers.allow).toBe('POST');
    const del = await svc.request({ method: 'DELETE', path: '/api/list', headers: { Authorization: 'token abc' } });
    expect(del.status).toBe(405);
    expect(del.headers.allow).toBe('GET');
  });

  it('refuses a repeated query parameter', async () => {
    const reply = await svc.request({ path: `/api/stat?uri=${encodeURIComponent(URI)}&uri=e%3A%2F%2Forg%2F` });
    expect(reply.status).toBe(400);
    expect(reply.body.message).toContain("'uri' is given more than once");
  });
});

describe('request bodies', () => {
  const post = (body: string | Buffer, contentType: string | undefined, chunked = false) =>
    svc.request({
      method: 'POST',
      path: '/api/presign',
      headers: { Authorization: 'token abc', ...(contentType ? { 'Content-Type': contentType } : {}) },
      body,
      chunked
    });

  it('accepts application/json with a charset', async () => {
    expect((await post(BODY, 'application/json; charset=utf-8')).status).toBe(200);
  });

  it.each([
    ['text/plain', BODY, 'must be JSON'],
    [undefined, BODY, 'must be JSON'],
    ['application/json', '{"uri": ', 'not valid JSON'],
    ['application/json', '', 'body is empty'],
    ['application/json', Buffer.from([0x7b, 0xff, 0x7d]), 'not valid UTF-8']
  ])('refuses Content-Type %s body %j with 400', async (type, body, message) => {
    const reply = await post(body, type);
    expectError(reply, 400, 'InvalidRequest', message);
  });

  it.each([
    ['with a Content-Length', false],
    ['chunked', true]
  ])('answers a body over 64 KiB %s with 413', async (_how, chunked) => {
    const big = JSON.stringify({ uri: URI, pad: 'x'.repeat(100 * 1024) });
    const reply = await post(big, 'application/json', chunked);
    expectError(reply, 413, 'PayloadTooLarge');
  });
});

describe('responses and log', () => {
  it('sends JSON that is never cached, errors included', async () => {
    for (const reply of [await svc.get('/api/whoami'), await svc.get('/api/nope')]) {
      expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(reply.headers['cache-control']).toBe('no-store');
    }
  });

  it('logs method, path, status and time; never the query, cookies or tokens', async () => {
    svc.logs.length = 0;
    await svc.get('/api/stat', { uri: URI }, { Cookie: `_xsrf=${TOKEN}` });
    await presignWith({ Authorization: 'token secret-token', Cookie: `_xsrf=${TOKEN}`, 'X-XSRFToken': TOKEN });
    await svc.get('/api/nope');
    expect(svc.logs).toHaveLength(3);
    expect(svc.logs[0]).toMatch(/^eos-service: GET \/api\/stat 200 \d+ms$/);
    expect(svc.logs[1]).toMatch(/^eos-service: POST \/api\/presign 200 \d+ms$/);
    expect(svc.logs[2]).toMatch(/^eos-service: GET \/api\/nope 404 \d+ms$/);
    const all = svc.logs.join('\n');
    for (const secret of [F, TOKEN, 'secret-token', 'uri=']) {
      expect(all).not.toContain(secret);
    }
  });
});

describe('request bodies', () => {
  /**
   * jupyter-server-proxy sends `Connection: close` and writes the body after
   * the headers. Answering a refused request before its body arrives closes
   * the socket under the proxy's write, and the user gets the proxy's 500
   * instead of our 403: the service must read the body first.
   */
  it('answers a refused POST only after its body has arrived, on the same connection', async () => {
    const { createConnection } = await import('node:net');
    const sock = createConnection(svc.socket);
    let received = '';
    sock.on('data', chunk => (received += chunk.toString()));
    const closed = new Promise<void>(resolve => sock.on('close', () => resolve()));
    await new Promise<void>(resolve => sock.once('connect', () => resolve()));
    await new Promise<void>(resolve =>
      sock.write(
        `POST /api/presign HTTP/1.1\r\nHost: eos\r\nConnection: close\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(BODY)}\r\n\r\n`,
        () => resolve()
      )
    );
    // A whole request answered on another connection, sent after these headers
    // were written: the service has had its turn at them, and said nothing yet.
    expect((await svc.get('/api/nope')).status).toBe(404);
    expect(received).toBe('');
    expect(sock.destroyed).toBe(false);
    sock.write(BODY);
    await closed;
    expect(received).toMatch(/^HTTP\/1\.1 403 /);
    expect(JSON.parse(received.slice(received.indexOf('\r\n\r\n') + 4)).code).toBe('Forbidden');
  });
});
