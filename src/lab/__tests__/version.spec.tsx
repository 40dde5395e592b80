import { Notification } from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import { Widget } from '@lumino/widgets';
import { act } from 'react';

import pkg from '../../../package.json';
import { EosBrowserPanel } from '../components/browser';
import { EosBrowserModel } from '../model';
import { requestAPI } from '../request';
import { FRONTEND_VERSION, warnOnVersionMismatch } from '../version';
import { FakeEos } from './fake';

jest.mock('../request', () => ({ ...jest.requireActual('../request'), requestAPI: jest.fn() }));

(globalThis as any).IS_REACT_ACT_ENVIRONMENT = true;

const trans = nullTranslator.load('jupyterlab_eos');

/** Show an EOS panel whose service answers `whoami` with `version`; resolves once the model has started. */
async function showPanel(version: string): Promise<() => void> {
  const eos = new FakeEos();
  eos.whoami = { ...(eos.whoami as Exclude<FakeEos['whoami'], Error>), version };
  (requestAPI as jest.Mock).mockImplementation(eos.request);
  const model = new EosBrowserModel();
  const panel = new EosBrowserPanel({ model, commands: new CommandRegistry() });
  await act(async () => {
    Widget.attach(panel, document.body);
    await model.initialize();
  });
  return () => {
    act(() => panel.dispose());
    model.dispose();
  };
}

describe('the frontend and service versions', () => {
  let warning: jest.SpyInstance;
  beforeEach(() => {
    warning = jest.spyOn(Notification, 'warning');
  });
  afterEach(() => {
    warning.mockRestore();
  });

  it("is package.json's version", () => {
    expect(FRONTEND_VERSION).toBe(pkg.version);
  });

  it('says nothing when the service is the same release, or a development build', async () => {
    (await showPanel(FRONTEND_VERSION))();
    expect(warnOnVersionMismatch('0.0.0-dev', trans)).toBe(false);
    expect(warning).not.toHaveBeenCalled();
  });

  it('warns once per page, when the panel starts, that the service answers with another version', async () => {
    (await showPanel('0.0.9'))();
    expect(warning).toHaveBeenCalledTimes(1);
    expect(warning.mock.calls[0][0]).toBe(
      `The EOS panel (version ${FRONTEND_VERSION}) and the EOS service (version 0.0.9) differ: reload the page, or restart the server after an upgrade.`
    );
    (await showPanel('0.0.8'))();
    expect(warnOnVersionMismatch('0.0.7', trans)).toBe(false);
    expect(warning).toHaveBeenCalledTimes(1);
  });
});
