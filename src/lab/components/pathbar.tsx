/**
 * The path bar: the current folder as clickable breadcrumbs, editable as
 * text to go to an `e://` or `s3://` location.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { editIcon } from '@jupyterlab/ui-components';
import type { ISignal } from '@lumino/signaling';
import * as React from 'react';

import { EosError, S3_SCHEME, formatEosUri, parseAnyLocation } from '../../core';
import { asEosError } from '../errors';
import { EosBrowserModel } from '../model';
import { IEosNode } from '../tree';
import { useSignal } from './hooks';

/** The folder the path bar and the filter act on: the focused folder, or the focused object's folder. */
export function currentFolder(model: EosBrowserModel): IEosNode | null {
  const node = model.selected;
  if (!node) {
    return null;
  }
  return node.kind === 'folder' ? node : (node.parent !== null && model.node(node.parent)) || null;
}

/** The props of the path bar. */
export interface IPathBarProps {
  model: EosBrowserModel;
  trans: TranslationBundle;
  /** Emitted when the bar must take the focus to be typed in (`eos:go-to`). */
  editRequested: ISignal<unknown, void>;
  /** Whether an edit was requested before the bar was rendered (and forget it). */
  takeEditRequest?: () => boolean;
}

/** The message of a failed "go to". */
function describe(error: EosError, text: string, trans: TranslationBundle): string {
  if (error.code === 'NotFound') {
    return trans.__('%1 does not exist', text);
  }
  return error.message;
}

/** The path bar: breadcrumbs, or the field a location is typed in. */
export function PathBar(props: IPathBarProps): JSX.Element {
  useSignal(props.model.displayChanged);
  const editor = usePathEditor(props);
  return editor.editing ? (
    <PathInput editor={editor} trans={props.trans} />
  ) : (
    <Crumbs model={props.model} trans={props.trans} edit={editor.edit} />
  );
}

/** The state of the path bar's field and what it does. */
interface IPathEditor {
  /** Whether the field is shown. */
  editing: boolean;
  /** The text typed. */
  text: string;
  /** Why the last "go to" failed, or null. */
  error: string | null;
  /** Whether a "go to" is on its way. */
  busy: boolean;
  /** The field, focused and selected when editing starts. */
  input: React.RefObject<HTMLInputElement>;
  /** Show the field, holding the current folder's URI. */
  edit: () => void;
  /** The user typed. */
  type: (text: string) => void;
  /** Leave the field without going anywhere. */
  cancel: () => void;
  /** Go to the location typed: reveal it (opening a folder), or say why not. */
  go: () => Promise<void>;
}

/** The path bar's field: its state, edit requests from `eos:go-to`, and "go to". */
function usePathEditor(props: IPathBarProps): IPathEditor {
  const { model, trans, editRequested, takeEditRequest } = props;
  const [editing, setEditing] = React.useState(false);
  const [text, setText] = React.useState('');
  const [error, setError] = React.useState<string | null>(null);
  const [busy, setBusy] = React.useState(false);
  const input = React.useRef<HTMLInputElement>(null);

  const edit = React.useCallback(() => {
    setText(currentFolder(model)?.uri ?? '');
    setError(null);
    setEditing(true);
  }, [model]);

  React.useEffect(() => {
    const onRequest = () => {
      takeEditRequest?.();
      edit();
    };
    editRequested.connect(onRequest);
    if (takeEditRequest?.()) {
      edit(); // asked before the panel was first rendered
    }
    return () => {
      editRequested.disconnect(onRequest);
    };
  }, [editRequested, takeEditRequest, edit]);

  React.useEffect(() => {
    if (editing) {
      input.current?.focus();
      input.current?.select();
    }
  }, [editing]);

  const go = async () => {
    const context = model.context;
    if (!context) {
      setError(trans.__('Not connected to EOS yet'));
      return;
    }
    let uri: string;
    try {
      uri = formatEosUri(parseAnyLocation(text, context)); // an added S3 location too
    } catch (reason) {
      setError(asEosError(reason).message);
      return;
    }
    if (uri.startsWith(S3_SCHEME) && !model.roots.some(root => uri.startsWith(root.uri))) {
      setError(trans.__('%1 is outside EOS and not an added S3 location: add it with Add S3 Location… first', uri));
      return;
    }
    setBusy(true);
    try {
      await model.reveal(uri);
      if (uri.endsWith('/')) {
        void model.expand(uri); // going to a folder opens it, as the file browser's path does
      }
      setEditing(false);
      setError(null);
    } catch (reason) {
      setError(describe(asEosError(reason), uri, trans));
    } finally {
      setBusy(false);
    }
  };

  const type = (value: string) => {
    setText(value);
    setError(null);
  };
  const cancel = () => {
    setEditing(false);
    setError(null);
  };
  return { editing, text, error, busy, input, edit, type, cancel, go };
}

/** The field a location is typed in: Enter goes there, Escape leaves. */
function PathInput(props: { editor: IPathEditor; trans: TranslationBundle }): JSX.Element {
  const { editor, trans } = props;
  const { error, busy } = editor;
  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      void editor.go();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      editor.cancel();
    }
  };
  return (
    <div className="jp-EosBrowser-pathbar jp-mod-editing">
      <input
        ref={editor.input}
        className="jp-EosBrowser-pathInput"
        type="text"
        spellCheck={false}
        aria-label={trans.__('Go to EOS location')}
        aria-invalid={error !== null}
        aria-describedby={error !== null ? 'jp-EosBrowser-pathError' : undefined}
        placeholder={trans.__('e://… or s3://…')}
        value={editor.text}
        disabled={busy}
        onChange={event => editor.type(event.target.value)}
        onKeyDown={onKeyDown}
        onBlur={() => error === null && !busy && editor.cancel()}
      />
      {error !== null && (
        <div id="jp-EosBrowser-pathError" className="jp-EosBrowser-pathError" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

/** The breadcrumbs from the root to the current folder, and the button that edits them. */
function Crumbs(props: { model: EosBrowserModel; trans: TranslationBundle; edit: () => void }): JSX.Element {
  const { model, trans, edit } = props;
  const crumbs: IEosNode[] = [];
  for (
    let node: IEosNode | null | undefined = currentFolder(model);
    node;
    node = node.parent === null ? null : model.node(node.parent)
  ) {
    crumbs.unshift(node);
  }
  return (
    <div className="jp-EosBrowser-pathbar">
      <nav className="jp-EosBrowser-crumbs" aria-label={trans.__('Current folder')} onClick={edit}>
        {crumbs.length === 0 && (
          <span className="jp-EosBrowser-crumbHint">{trans.__('Go to e:// or s3:// location…')}</span>
        )}
        {crumbs.map((node, i) => (
          <React.Fragment key={node.uri}>
            {i > 0 && (
              <span className="jp-EosBrowser-crumbSep" aria-hidden="true">
                /
              </span>
            )}
            <button
              className="jp-EosBrowser-crumb"
              title={node.uri}
              aria-current={i === crumbs.length - 1 ? 'location' : undefined}
              onClick={event => {
                event.stopPropagation();
                void model.reveal(node.uri);
              }}
            >
              {node.label}
            </button>
          </React.Fragment>
        ))}
      </nav>
      <button className="jp-EosBrowser-iconButton" title={trans.__('Go to an e:// or s3:// location')} onClick={edit}>
        <editIcon.react tag="span" aria-hidden="true" />
        <span className="jp-EosBrowser-visuallyHidden">{trans.__('Go to location')}</span>
      </button>
    </div>
  );
}
