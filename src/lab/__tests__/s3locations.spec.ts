/**
 * S3 locations outside EOS in the browser model (issue 17): the settings'
 * list told to the service and shown as read-only roots after the EOS ones;
 * removed from the settings, gone; refused by the service, shown with its error.
 */
import { Routes } from '../../core';
import { EosBrowserModel } from '../model';
import { EosRequestError } from '../request';
import { EosSettings } from '../settings';
import { FakeEos, object } from './fake';

const PUB = 's3://pub-data/phase3/';

describe('S3 locations as roots', () => {
  let eos: FakeEos;
  let settings: EosSettings;
  let model: EosBrowserModel;

  beforeEach(() => {
    eos = new FakeEos();
    eos.page(PUB, [object(PUB, 'index.tsv', 10, 'read')], null, '', 'read');
    settings = new EosSettings({ s3Locations: [{ uri: PUB, sign: false }] });
    model = new EosBrowserModel({ request: eos.requester, settings });
  });

  afterEach(() => model.dispose());

  const posted = () => eos.calls.filter(c => c.route === Routes.locations).map(c => c.body);
  const roots = () => model.roots.map(r => [r.uri, r.label, r.access]);

  it('tells the service the settings’ locations, then shows each as a read-only root after the EOS roots', async () => {
    await model.initialize();
    expect(posted()).toEqual([{ locations: [{ uri: PUB, sign: false }] }]);
    expect(roots().slice(-1)).toEqual([[PUB, PUB, 'read']]);
    expect(
      roots()
        .slice(0, 4)
        .map(r => r[0])
    ).toEqual(['e://users/me/', 'e://org/', 'e://gencove/', 'e://users/']);
    await model.expand(PUB);
    expect(model.children(PUB)).toEqual([`${PUB}index.tsv`]);
    expect(model.node(`${PUB}index.tsv`)?.access).toBe('read');
  });

  it('follows the settings: a location removed there leaves the tree (and the service)', async () => {
    await model.initialize();
    const shown = new Promise<void>(resolve => model.sessionChanged.connect(() => resolve()));
    settings.update({ s3Locations: [] });
    await shown;
    expect(posted().slice(-1)).toEqual([{ locations: [] }]);
    expect(model.roots.some(r => r.uri === PUB)).toBe(false);
  });

  it('posts nothing when there are none (the service starts with none)', async () => {
    settings.update({ s3Locations: [] });
    await model.initialize();
    expect(posted()).toEqual([]);
  });

  it('shows a location the service refused with its error', async () => {
    eos.locationsError = new EosRequestError('InvalidUri', 's3://pub-data/ is not good', 400);
    await model.initialize();
    expect(model.node(PUB)?.error?.message).toBe('s3://pub-data/ is not good');
  });

  it('tells a restarted service the locations again when it refuses one as not added, and lists it', async () => {
    await model.initialize();
    // The first listing after the restart is refused; the service knows the location again after the post.
    const real = eos.request;
    let refusals = 0;
    eos.request = async (route, options = {}) => {
      if (route === Routes.list && (options.query as { uri?: string })?.uri === PUB && refusals++ === 0) {
        eos.calls.push({ route, query: { uri: PUB } });
        throw new EosRequestError('AccessDenied', `${PUB} is outside EOS and not an added S3 location`, 403);
      }
      return real(route, options);
    };
    await model.expand(PUB);
    while (model.children(PUB)?.length !== 1) {
      await new Promise(resolve => setTimeout(resolve, 5));
    }
    expect(refusals).toBe(2); // refused once, then listed once
    expect(posted()).toHaveLength(2);
    expect(model.node(PUB)?.error).toBeNull();
  });
});
