/**
 * The filter box of the current folder: a substring filter on the loaded
 * names when the folder is fully listed, a prefix search in S3 otherwise.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { EosBrowserModel } from '../model';
import { useSignal } from './hooks';
import { currentFolder } from './pathbar';

/** How long typing pauses before a prefix search is sent, in ms. */
const PREFIX_DELAY_MS = 250;

/** The props of the filter box. */
export interface IFilterBoxProps {
  model: EosBrowserModel;
  trans: TranslationBundle;
}

/** The filter box. */
export function FilterBox(props: IFilterBoxProps): JSX.Element {
  const { model, trans } = props;
  useSignal(model.displayChanged);
  const filter = model.filter;
  const target = (filter.uri !== null && model.node(filter.uri)) || currentFolder(model);
  const [text, setText] = React.useState(filter.text);
  const timer = React.useRef<number | undefined>(undefined);

  // Follow the model when it clears the filter (a reveal, another folder).
  React.useEffect(() => {
    if (filter.uri === null && timer.current === undefined) {
      setText('');
    }
  }, [filter.uri]);

  React.useEffect(() => () => window.clearTimeout(timer.current), []);

  if (!target) {
    // Shown even so, so that the tree never moves when an item is selected.
    return (
      <div className="jp-EosBrowser-filter">
        <input
          className="jp-EosBrowser-filterInput"
          type="search"
          disabled
          aria-label={trans.__('Filter: select a folder first')}
          placeholder={trans.__('Filter: select a folder first')}
        />
      </div>
    );
  }

  const apply = (value: string) => {
    window.clearTimeout(timer.current);
    timer.current = undefined;
    const prefix =
      filter.uri === target.uri ? filter.mode === 'prefix' : target.next !== null || target.loaded === null;
    if (value !== '' && prefix) {
      timer.current = window.setTimeout(() => {
        timer.current = undefined;
        void filter.set(target.uri, value);
      }, PREFIX_DELAY_MS);
    } else {
      void filter.set(target.uri, value);
    }
  };

  const mode = filter.uri === target.uri ? filter.mode : null;
  return (
    <div className="jp-EosBrowser-filter">
      <input
        className="jp-EosBrowser-filterInput"
        type="search"
        spellCheck={false}
        aria-label={trans.__('Filter %1', target.label)}
        placeholder={trans.__('Filter %1', target.label)}
        value={text}
        onChange={event => {
          setText(event.target.value);
          apply(event.target.value);
        }}
        onKeyDown={event => {
          if (event.key === 'Escape') {
            event.preventDefault();
            event.stopPropagation();
            setText('');
            apply('');
          }
        }}
      />
      {mode !== null && (
        <span className="jp-EosBrowser-filterMode" role="status">
          {mode === 'loaded' ? trans.__('Filtering loaded names') : trans.__('Prefix search in S3')}
        </span>
      )}
    </div>
  );
}
