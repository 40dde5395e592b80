/**
 * GET /, whoami, and a service without user/organization ids (the disk: disk.spec.ts).
 */
import { VERSION } from '../engine/version';
import { Running, S3, startService, testConfig, expectError } from './harness';

describe('a configured service', () => {
  let svc: Running;
  beforeAll(async () => {
    svc = await startService();
  });
  afterAll(async () => {
    await svc.close();
  });

  it('answers GET / for the proxy readiness probe', async () => {
    const reply = await svc.get('/');
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ service: 'jupyterlab-eos', version: VERSION });
    expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(reply.headers['cache-control']).toBe('no-store');
  });

  it('answers HEAD / without a body', async () => {
    const reply = await svc.request({ method: 'HEAD', path: '/' });
    expect(reply.status).toBe(200);
    expect(reply.raw).toBe('');
  });

  it('says who the user is', async () => {
    const reply = await svc.get('/api/whoami');
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      userId: S3.userId,
      orgId: S3.orgId,
      orgBucket: S3.orgBucket,
      gencoveBucket: S3.gencoveBucket,
      home: 'e://users/me/',
      namespaces: [
        { name: 'users', uri: 'e://users/me/', access: 'readwrite' },
        { name: 'org', uri: 'e://org/', access: 'readwrite' },
        { name: 'gencove', uri: 'e://gencove/', access: 'read' }
      ],
      version: VERSION
    });
  });
});

describe('a service without ids', () => {
  let svc: Running;
  beforeAll(async () => {
    svc = await startService(
      testConfig({
        context: null,
        contextProblem: 'EOS is not configured: set GENCOVE_USER_ID and GENCOVE_ORGANIZATION_ID'
      })
    );
  });
  afterAll(async () => {
    await svc.close();
  });

  it('still answers GET / and disk', async () => {
    expect((await svc.get('/')).status).toBe(200);
    expect((await svc.get('/api/disk')).status).toBe(200);
  });

  it.each([
    ['whoami', () => svc.get('/api/whoami')],
    ['list', () => svc.get('/api/list', { uri: 'e://org/' })],
    ['stat', () => svc.get('/api/stat', { uri: 'e://org/x' })],
    ['presign', () => svc.post('/api/presign', { uri: 'e://org/x' })]
  ])('answers %s with 503 NotConfigured naming the variables', async (_name, call) => {
    const reply = await call();
    expectError(reply, 503, 'NotConfigured', 'GENCOVE_USER_ID');
    expect(reply.body.message).toContain('GENCOVE_ORGANIZATION_ID');
  });
});
