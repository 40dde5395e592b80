import { ServerConnection } from '@jupyterlab/services';

import { EosError, Routes } from '../../core';
import { EosRequestError, isAbort, makeUrl, requestAPI } from '../request';

/** Server settings whose fetch records the request and answers with `reply`. */
function fakeServer(reply: (request: Request) => Response | Promise<Response>, token = '') {
  const requests: Request[] = [];
  const fetch = jest.fn(async (input: RequestInfo) => {
    const request = input as Request;
    requests.push(request);
    return reply(request);
  });
  const settings = ServerConnection.makeSettings({
    baseUrl: 'http://localhost:8888/lab-base/',
    token,
    fetch: fetch as unknown as ServerConnection.ISettings['fetch']
  });
  return { settings, requests, fetch };
}

/** The error a request fails with; fails the test if it succeeds. */
async function failure(promise: Promise<unknown>): Promise<EosRequestError> {
  try {
    await promise;
  } catch (error) {
    return error as EosRequestError;
  }
  throw new Error('expected the request to fail');
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

describe('makeUrl', () => {
  it('joins the base URL, the service prefix and the route, and leaves out empty query values', () => {
    expect(makeUrl('http://h/base/', Routes.list, { uri: 'e://org/', cursor: null, limit: undefined })).toBe(
      'http://h/base/eos/api/list?uri=e%3A%2F%2Forg%2F'
    );
    expect(makeUrl('http://h/', Routes.whoami)).toBe('http://h/eos/api/whoami');
  });
});

describe('requestAPI', () => {
  afterEach(() => {
    document.cookie = '_xsrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT';
  });

  it.each([
    'e://users/me/with space/file.txt',
    'e://org/hash#tag?query=1&x=2',
    'e://org/100%25 literal % and %2F',
    'e://org/a+b plus+sign',
    'e://org/a//b/',
    'e://gencove/ünïcødé/😀.vcf'
  ])('sends %s in the query string, where it round-trips exactly', async uri => {
    const { settings, requests } = fakeServer(() => json({ uri, access: 'read', entries: [], next: null }));
    const result = await requestAPI(Routes.list, { query: { uri, cursor: 'c+/=', limit: 500 } }, settings);

    expect(result).toEqual({ uri, access: 'read', entries: [], next: null });
    expect(requests).toHaveLength(1);
    const url = new URL(requests[0].url);
    expect(url.pathname).toBe('/lab-base/eos/api/list');
    expect(url.hash).toBe('');
    expect(url.searchParams.get('uri')).toBe(uri);
    expect(url.searchParams.get('cursor')).toBe('c+/=');
    expect(url.searchParams.get('limit')).toBe('500');
    // No cache-busting parameter: the service sees exactly the query it was sent.
    expect([...url.searchParams.keys()]).toEqual(['uri', 'cursor', 'limit']);
    expect(requests[0].method).toBe('GET');
  });

  it('sends the Jupyter token and the XSRF cookie through ServerConnection', async () => {
    document.cookie = '_xsrf=xsrf-value';
    const { settings, requests } = fakeServer(() => json({ ok: true }), 'secret-token');
    await requestAPI(Routes.whoami, { query: {} }, settings);
    expect(requests[0].headers.get('Authorization')).toBe('token secret-token');
    expect(requests[0].headers.get('X-XSRFToken')).toBe('xsrf-value');
  });

  it('posts a JSON body', async () => {
    const { settings, requests } = fakeServer(() => json({ url: 'https://s3/x', expiresAt: 'soon' }));
    const body = { uri: 'e://org/a b#c', expiresIn: 60 };
    const result = await requestAPI(Routes.presign, { body }, settings);

    expect(result.url).toBe('https://s3/x');
    expect(requests[0].method).toBe('POST');
    expect(requests[0].headers.get('Content-Type')).toBe('application/json');
    expect(JSON.parse(await requests[0].text())).toEqual(body);
    expect(new URL(requests[0].url).search).toBe('');
  });

  it('turns a {code, message, details} body into a typed error', async () => {
    const { settings } = fakeServer(() =>
      json({ code: 'NotFound', message: 'e://org/x does not exist', details: 'bucket b, key shared/files/x' }, 404)
    );
    const error = await failure(requestAPI(Routes.stat, { query: { uri: 'e://org/x' } }, settings));

    expect(error).toBeInstanceOf(EosRequestError);
    expect(error).toBeInstanceOf(EosError);
    expect(error.code).toBe('NotFound');
    expect(error.status).toBe(404);
    expect(error.message).toBe('e://org/x does not exist');
    expect(error.details).toBe('bucket b, key shared/files/x');
  });

  it('keeps the message of an error with an unknown code and derives the code from the status', async () => {
    const { settings } = fakeServer(() => json({ code: 'SomethingNew', message: 'Nope' }, 403));
    const error = await failure(requestAPI(Routes.list, { query: { uri: 'e://org/' } }, settings));
    expect(error).toMatchObject({ code: 'Forbidden', status: 403, message: 'Nope' });
  });

  it('makes a sensible error of an HTML error page', async () => {
    const page =
      '<html><head><style>body{}</style></head><body><h1>500: Internal Server Error</h1><p>Could not start eos</p></body></html>';
    const { settings } = fakeServer(
      () =>
        new Response(page, {
          status: 500,
          statusText: 'Internal Server Error',
          headers: { 'Content-Type': 'text/html' }
        })
    );
    const error = await failure(requestAPI(Routes.whoami, { query: {} }, settings));

    expect(error).toBeInstanceOf(EosRequestError);
    expect(error.code).toBe('Upstream');
    expect(error.status).toBe(500);
    expect(error.message).toBe('The EOS service answered 500 Internal Server Error');
    expect(error.details).toBe('500: Internal Server Error Could not start eos');
  });

  it('maps bare client statuses to their codes', async () => {
    const { settings } = fakeServer(() => new Response('Forbidden', { status: 403 }));
    const error = await failure(requestAPI(Routes.whoami, { query: {} }, settings));
    expect(error).toMatchObject({ code: 'Forbidden', status: 403, details: 'Forbidden' });
  });

  it('reports a successful response that is not JSON', async () => {
    const { settings } = fakeServer(
      () => new Response('<html>login</html>', { status: 200, headers: { 'Content-Type': 'text/html' } })
    );
    const error = await failure(requestAPI(Routes.whoami, { query: {} }, settings));
    expect(error).toMatchObject({ code: 'Upstream', status: 200 });
    expect(error.message).toContain('not JSON (text/html)');
  });

  it('reports a network failure with status 0', async () => {
    const { settings } = fakeServer(() => {
      throw new TypeError('Failed to fetch');
    });
    const error = await failure(requestAPI(Routes.whoami, { query: {} }, settings));
    expect(error).toBeInstanceOf(EosRequestError);
    expect(error).toMatchObject({ code: 'Upstream', status: 0 });
    expect(error.message).toContain('Failed to fetch');
  });

  it('reports an empty successful body as not JSON', async () => {
    const { settings } = fakeServer(() => new Response(null, { status: 204 }));
    const error = await failure(requestAPI(Routes.whoami, { query: {} }, settings));
    expect(error).toMatchObject({ code: 'Upstream', status: 204 });
  });

  it('rejects with an abort error when its signal is aborted, and sends nothing after', async () => {
    const { settings } = fakeServer(() => json({ ok: true }));
    const controller = new AbortController();
    controller.abort();
    const error = await failure(requestAPI(Routes.whoami, { query: {}, signal: controller.signal }, settings));
    expect(error).toBeInstanceOf(EosRequestError);
    expect((error as EosRequestError).aborted).toBe(true);
    expect(isAbort(error)).toBe(true);
  });

  it('uses the method of the core route table', async () => {
    const { settings, requests } = fakeServer(() => json({ kind: 'folder' }));
    await requestAPI(Routes.mkdir, { body: { uri: 'e://org/new/' } }, settings);
    expect(requests[0].method).toBe('POST');
  });
});

describe('codes for statuses whose body names none', () => {
  const bare = async (status: number) => {
    const { settings } = fakeServer(() => new Response('<html>error</html>', { status }));
    return failure(requestAPI(Routes.whoami, { query: {} }, settings));
  };

  it.each([
    [400, 'InvalidRequest'],
    [401, 'Unauthorized'],
    [403, 'Forbidden'],
    [404, 'NotFound'],
    [405, 'MethodNotAllowed'],
    [409, 'Conflict'],
    [413, 'PayloadTooLarge'],
    [418, 'InvalidRequest'],
    [500, 'Upstream'],
    [502, 'Upstream'],
    [503, 'Upstream'],
    [504, 'Upstream'],
    [507, 'NoSpace']
  ])('maps a bare %d to %s', async (status, code) => {
    expect(await bare(status)).toMatchObject({ code, status });
  });

  it("takes client-error codes from core's ERROR_STATUS, so a code core adds needs no second table", async () => {
    let isolated!: typeof import('../request');
    jest.isolateModules(() => {
      jest.doMock('../../core', () => {
        const core = jest.requireActual('../../core');
        return { ...core, ERROR_STATUS: { Gone: 410, ...core.ERROR_STATUS } };
      });
      isolated = require('../request');
    });
    jest.dontMock('../../core');
    const { settings } = fakeServer(() => new Response('Gone', { status: 410 }));
    let error: unknown = null;
    try {
      await isolated.requestAPI(Routes.whoami, { query: {} }, settings);
    } catch (reason) {
      error = reason;
    }
    expect(error).toMatchObject({ code: 'Gone', status: 410 });
  });
});
