/**
 * Bad input on every route (issue 16): the cases of `badinput-cases.ts`,
 * walked over the server's own route map, each answered with a 4xx whose
 * message names the problem, and nothing changed (both buckets, the local
 * root, a folder outside it, the job list).
 */
import { casesOf, makeWorld, send, snapshot } from './badinput-build';
import { dispatchedRoutes, routeCases } from './badinput-cases';
import { serviceSuite, testConfig } from './harness';

const world = makeWorld('bad');
const F = world.folder;
// Declared first, so it runs before the suite's own afterAll destroys the client.
afterAll(async () => {
  await world.clean(suite.client);
});
const suite = serviceSuite({ cleanup: [], config: testConfig({ rootDir: world.root }), seed: world.seed });

const TABLE = routeCases({ folder: F });
const ROUTES = dispatchedRoutes();

it('has bad-input cases for every route the server dispatches, and for no other', () => {
  expect(Object.keys(TABLE).sort()).toEqual(ROUTES);
  for (const [key, cases] of Object.entries(TABLE)) {
    const count = casesOf(key, cases, F).length;
    // A route has cases, or says why it takes no input that could be bad.
    expect({ key, some: count > 0 || cases.none !== undefined }).toEqual({ key, some: true });
  }
});

describe.each(ROUTES.filter(key => TABLE[key] && !TABLE[key].none))('%s', key => {
  const cases = casesOf(key, TABLE[key], F);
  let before: Record<string, unknown>;

  beforeAll(async () => {
    before = await snapshot(world, suite.client, suite.svc);
  });

  it.each(cases.map(c => [c.name, c] as const))('refuses %s', async (_name, c) => {
    const reply = await send(suite.svc, key, c);
    const answer = { status: reply.status, code: typeof reply.body?.code, message: reply.body?.message };
    expect(answer).toEqual({ status: c.status, code: 'string', message: expect.stringMatching(c.message) });
  });

  it('changed nothing', async () => {
    expect(await snapshot(world, suite.client, suite.svc)).toEqual(before);
  });
});
