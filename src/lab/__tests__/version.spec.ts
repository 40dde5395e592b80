import { Notification } from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';

import pkg from '../../../package.json';
import { FRONTEND_VERSION, warnOnVersionMismatch } from '../version';

const trans = nullTranslator.load('jupyterlab_eos');

describe('the frontend and service versions', () => {
  it("is package.json's version", () => {
    expect(FRONTEND_VERSION).toBe(pkg.version);
  });

  it('warns once per page when the service answers with another version; never for the same or a development one', () => {
    const warning = jest.spyOn(Notification, 'warning');
    expect(warnOnVersionMismatch(FRONTEND_VERSION, trans)).toBe(false);
    expect(warnOnVersionMismatch('0.0.0-dev', trans)).toBe(false);
    expect(warning).not.toHaveBeenCalled();

    expect(warnOnVersionMismatch('0.0.9', trans)).toBe(true);
    expect(warning).toHaveBeenCalledTimes(1);
    expect(warning.mock.calls[0][0]).toBe(
      `The EOS panel (version ${FRONTEND_VERSION}) and the EOS service (version 0.0.9) differ: reload the page, or restart the server after an upgrade.`
    );
    expect(warnOnVersionMismatch('0.0.8', trans)).toBe(false);
    expect(warning).toHaveBeenCalledTimes(1);
    warning.mockRestore();
  });
});
