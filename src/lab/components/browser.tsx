/**
 * The EOS sidebar: a header with the title and the refresh command, the
 * connection status, the path bar, the filter, the column header and the tree.
 */
import { ITranslator, TranslationBundle, nullTranslator } from '@jupyterlab/translation';
import { CommandToolbarButtonComponent, ReactWidget } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import type { Message } from '@lumino/messaging';
import { ISignal, Signal } from '@lumino/signaling';
import * as React from 'react';

import { errorTitle } from '../errors';
import { eosIcon } from '../icons';
import { EosBrowserModel } from '../model';
import { EosSettings } from '../settings';
import { CommandIDs } from '../tokens';
import { warnOnVersionMismatch } from '../version';
import { ColumnHeader } from './columns';
import { FilterBox } from './filterbox';
import { useSignal, useSettings } from './hooks';
import { PathBar } from './pathbar';
import { EosTree, ITreeScroll } from './tree';

/** The props of the browser view. */
export interface IEosBrowserViewProps {
  model: EosBrowserModel;
  /** Where the header finds `eos:refresh-all`. */
  commands: CommandRegistry;
  trans: TranslationBundle;
  /** The columns and sort the view follows; the model's by default. */
  settings?: EosSettings;
  /** The tree's scroll offset, kept for saving and restoring it. */
  scroll?: ITreeScroll;
  /** Emitted when the path bar must take the focus (`eos:go-to`). */
  goToRequested?: ISignal<unknown, void>;
  /** Whether the path bar was asked for before it was rendered (and forget it). */
  takeGoToRequest?: () => boolean;
  /** What other plugins show under the header (the disk gauge's bar). */
  headerItems?: ReadonlyArray<() => JSX.Element>;
}

/**
 * The connection line: connecting (from the first paint until `whoami`
 * answers, also before the panel first asks), or why `whoami` failed with a
 * Retry button.
 */
function SessionStatus(props: Pick<IEosBrowserViewProps, 'model' | 'trans'>): JSX.Element | null {
  const { model, trans } = props;
  useSignal(model.displayChanged);
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
  if (model.whoami === null) {
    return (
      <div className="jp-EosBrowser-banner jp-mod-info" role="status" aria-busy="true">
        {trans.__('Connecting to EOS…')}
      </div>
    );
  }
  return null;
}

/**
 * Header buttons for commands another plugin may register (the transfers
 * plugin's uploads): shown once registered.
 */
function OptionalCommandButtons(props: { commands: CommandRegistry; ids: string[] }): JSX.Element {
  const { commands, ids } = props;
  const [, bump] = React.useReducer((n: number) => n + 1, 0);
  React.useEffect(() => {
    commands.commandChanged.connect(bump);
    return () => {
      commands.commandChanged.disconnect(bump);
    };
  }, [commands]);
  return (
    <>
      {ids
        .filter(id => commands.hasCommand(id))
        .map(id => (
          <CommandToolbarButtonComponent key={id} commands={commands} id={id} label="" />
        ))}
    </>
  );
}

/** The whole sidebar view. */
export function EosBrowserView(props: IEosBrowserViewProps): JSX.Element {
  const { model, trans } = props;
  const settings = props.settings ?? model.settings;
  const values = useSettings(settings);
  const [scroll] = React.useState<ITreeScroll>(() => props.scroll ?? { offset: 0, pending: null });
  const [goTo] = React.useState(() => props.goToRequested ?? new Signal<unknown, void>({}));
  return (
    <>
      <div className="jp-EosBrowser-header">
        <h2 className="jp-EosBrowser-title">{trans.__('EOS')}</h2>
        <OptionalCommandButtons
          commands={props.commands}
          ids={[CommandIDs.uploadFiles, CommandIDs.uploadFolder, CommandIDs.addS3Location]}
        />
        {/* An icon button: no visible label, "Refresh EOS" as its name and tooltip. */}
        <CommandToolbarButtonComponent
          commands={props.commands}
          id={CommandIDs.refreshAll}
          label=""
          caption={trans.__('Refresh EOS')}
        />
      </div>
      {props.headerItems?.map((render, i) => (
        <React.Fragment key={i}>{render()}</React.Fragment>
      ))}
      <SessionStatus model={model} trans={trans} />
      <PathBar model={model} trans={trans} editRequested={goTo} takeEditRequest={props.takeGoToRequest} />
      <FilterBox model={model} trans={trans} />
      <ColumnHeader settings={settings} trans={trans} />
      <EosTree model={model} trans={trans} columns={values.columns} scroll={scroll} />
    </>
  );
}

/** The sidebar widget hosting the view; it starts the model the first time it is shown. */
export class EosBrowserPanel extends ReactWidget {
  constructor(options: EosBrowserPanel.IOptions) {
    super();
    this._model = options.model;
    this._settings = options.settings ?? options.model.settings;
    this._commands = options.commands;
    this._trans = (options.translator ?? nullTranslator).load('jupyterlab_eos');
    this.id = 'eos-browser';
    this.addClass('jp-EosBrowser');
    // A label beside the icon: the right sidebar's tab then reads "EOS" for a newcomer.
    this.title.icon = eosIcon;
    this.title.label = this._trans.__('EOS');
    this.title.caption = this._trans.__('EOS (Explorer Object Storage)');
  }

  /** The model the panel shows. */
  get model(): EosBrowserModel {
    return this._model;
  }

  /** The tree's scroll offset, in pixels. */
  get scrollOffset(): number {
    // While a saved offset is still being restored, it is what the tree shows next.
    return this._scroll.pending ?? this._scroll.offset;
  }

  /** Scroll the tree to `offset` once enough rows are loaded (a restored state). */
  restoreScroll(offset: number): void {
    this._scroll.pending = offset;
    this.update();
  }

  /** Show `render`'s element under the header (another plugin's, e.g. the disk gauge). */
  addHeaderItem(render: () => JSX.Element): void {
    this._headerItems = [...this._headerItems, render];
    this.update();
  }

  /** Put the focus in the path bar, to type an `e://` or `s3://` location (`eos:go-to`). */
  focusPathBar(): void {
    this._goToPending = true;
    this.update();
    this._goTo.emit();
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    if (this.isVisible) {
      this._start();
    }
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this._start();
  }

  /** Start the model (once: later calls share its promise), then compare the service's version with ours. */
  private _start(): void {
    void this._model.initialize().then(() => {
      const whoami = this._model.whoami;
      if (whoami) {
        warnOnVersionMismatch(whoami.version, this._trans);
      }
    });
  }

  protected render(): JSX.Element {
    return (
      <EosBrowserView
        model={this._model}
        commands={this._commands}
        trans={this._trans}
        settings={this._settings}
        scroll={this._scroll}
        goToRequested={this._goTo}
        takeGoToRequest={this._takeGoToRequest}
        headerItems={this._headerItems}
      />
    );
  }

  private _commands: CommandRegistry;
  private _headerItems: ReadonlyArray<() => JSX.Element> = [];
  private _goTo = new Signal<this, void>(this);
  private _goToPending = false;
  private _takeGoToRequest = (): boolean => {
    const pending = this._goToPending;
    this._goToPending = false;
    return pending;
  };
  private _scroll: ITreeScroll = { offset: 0, pending: null };
  private _settings: EosSettings;
  private _model: EosBrowserModel;
  private _trans: TranslationBundle;
}

/** The namespace for `EosBrowserPanel` statics. */
export namespace EosBrowserPanel {
  /** The options to create a panel. */
  export interface IOptions {
    /** The tree state to show. */
    model: EosBrowserModel;
    /** The application's commands; the header runs `eos:refresh-all` from them. */
    commands: CommandRegistry;
    /** The settings the view follows (columns, sort); the model's by default. */
    settings?: EosSettings;
    /** Translates the panel's strings; none by default. */
    translator?: ITranslator;
  }
}
