/**
 * The EOS sidebar: a header with the title and the refresh command, the
 * connection status, and the tree.
 */
import { ITranslator, TranslationBundle, nullTranslator } from '@jupyterlab/translation';
import { CommandToolbarButtonComponent, ReactWidget } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import type { Message } from '@lumino/messaging';
import * as React from 'react';

import { errorTitle } from '../errors';
import { eosIcon } from '../icons';
import { EosBrowserModel } from '../model';
import { CommandIDs } from '../tokens';
import { useModelChanged } from './hooks';
import { EosTree } from './tree';

/** The props of the browser view. */
export interface IEosBrowserViewProps {
  model: EosBrowserModel;
  /** Where the header finds `eos:refresh`. */
  commands: CommandRegistry;
  trans: TranslationBundle;
}

/** The connection line: connecting, or why `whoami` failed with a Retry button. */
function SessionStatus(props: Omit<IEosBrowserViewProps, 'commands'>): JSX.Element | null {
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
        {/* An icon button: no visible label, "Refresh EOS" as its name and tooltip. */}
        <CommandToolbarButtonComponent
          commands={props.commands}
          id={CommandIDs.refresh}
          label=""
          caption={trans.__('Refresh EOS')}
        />
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
    this._commands = options.commands;
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
    return <EosBrowserView model={this._model} commands={this._commands} trans={this._trans} />;
  }

  private _commands: CommandRegistry;
  private _model: EosBrowserModel;
  private _trans: TranslationBundle;
}

/** The namespace for `EosBrowserPanel` statics. */
export namespace EosBrowserPanel {
  /** The options to create a panel. */
  export interface IOptions {
    /** The tree state to show. */
    model: EosBrowserModel;
    /** The application's commands; the header runs `eos:refresh` from them. */
    commands: CommandRegistry;
    /** Translates the panel's strings; none by default. */
    translator?: ITranslator;
  }
}
