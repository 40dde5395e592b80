/**
 * The EOS sidebar: a header with the title and a refresh button, the
 * connection status, and the tree.
 */
import { ITranslator, TranslationBundle, nullTranslator } from '@jupyterlab/translation';
import { ReactWidget, refreshIcon } from '@jupyterlab/ui-components';
import type { Message } from '@lumino/messaging';
import * as React from 'react';

import { errorTitle } from '../errors';
import { eosIcon } from '../icons';
import { EosBrowserModel } from '../model';
import { useModelChanged } from './hooks';
import { EosTree } from './tree';

/** The props of the browser view. */
export interface IEosBrowserViewProps {
  model: EosBrowserModel;
  trans: TranslationBundle;
}

/** The connection line: connecting, or why `whoami` failed with a Retry button. */
function SessionStatus(props: IEosBrowserViewProps): JSX.Element | null {
  const { model, trans } = props;
  useModelChanged(model);
  const error = model.error;
  if (error) {
    return (
      <div className="jp-EosBrowser-banner" role="alert" title={error.details ?? error.message}>
        <span className="jp-EosBrowser-errorText">
          <span className="jp-EosBrowser-errorTitle">{errorTitle(error.code, trans)}</span> {error.message}
        </span>
        <button className="jp-EosBrowser-button" onClick={() => void model.initialize()}>
          {trans.__('Retry')}
        </button>
      </div>
    );
  }
  if (model.initializing) {
    return (
      <div className="jp-EosBrowser-banner jp-mod-info" role="status">
        {trans.__('Connecting to EOS…')}
      </div>
    );
  }
  return null;
}

/** The whole sidebar view. */
export function EosBrowserView(props: IEosBrowserViewProps): JSX.Element {
  const { model, trans } = props;
  return (
    <>
      <div className="jp-EosBrowser-header">
        <h2 className="jp-EosBrowser-title">{trans.__('EOS')}</h2>
        <button
          className="jp-EosBrowser-toolbarButton"
          title={trans.__('Refresh EOS')}
          aria-label={trans.__('Refresh EOS')}
          onClick={() => void model.refresh()}
        >
          <refreshIcon.react tag="span" aria-hidden="true" />
        </button>
      </div>
      <SessionStatus model={model} trans={trans} />
      <EosTree model={model} trans={trans} />
    </>
  );
}

/** The sidebar widget hosting the view; it starts the model the first time it is shown. */
export class EosBrowserPanel extends ReactWidget {
  constructor(options: EosBrowserPanel.IOptions) {
    super();
    this._model = options.model;
    this._trans = (options.translator ?? nullTranslator).load('jupyterlab_eos');
    this.id = 'eos-browser';
    this.addClass('jp-EosBrowser');
    this.title.icon = eosIcon;
    this.title.caption = this._trans.__('EOS (Explorer Object Storage)');
  }

  /** The model the panel shows. */
  get model(): EosBrowserModel {
    return this._model;
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    if (this.isVisible) {
      void this._model.initialize();
    }
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    void this._model.initialize();
  }

  protected render(): JSX.Element {
    return <EosBrowserView model={this._model} trans={this._trans} />;
  }

  private _model: EosBrowserModel;
  private _trans: TranslationBundle;
}

/** The namespace for `EosBrowserPanel` statics. */
export namespace EosBrowserPanel {
  /** The options to create a panel. */
  export interface IOptions {
    /** The tree state to show. */
    model: EosBrowserModel;
    /** Translates the panel's strings; none by default. */
    translator?: ITranslator;
  }
}
