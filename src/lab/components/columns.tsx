/**
 * The column header of the tree: Name, Size, Modified; a click sorts by the
 * column (again: the other direction).
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { caretDownIcon, caretUpIcon, classes } from '@jupyterlab/ui-components';
import * as React from 'react';

import { EosSettings, SortKey } from '../settings';
import { useSettings } from './hooks';

/** The props of the column header. */
export interface IColumnHeaderProps {
  settings: EosSettings;
  trans: TranslationBundle;
}

/** The column header. */
export function ColumnHeader(props: IColumnHeaderProps): JSX.Element {
  const { settings, trans } = props;
  const values = useSettings(settings);
  const titles: Record<SortKey, string> = {
    name: trans.__('Name'),
    size: trans.__('Size'),
    modified: trans.__('Modified')
  };
  const keys: SortKey[] = ['name', ...values.columns];
  const sort = (key: SortKey) => {
    const same = values.sortBy === key;
    settings.save({
      sortBy: key,
      sortDirection: same && values.sortDirection === 'ascending' ? 'descending' : 'ascending'
    });
  };
  return (
    <div className="jp-EosBrowser-columns" role="toolbar" aria-label={trans.__('Sort')}>
      {keys.map(key => {
        const active = values.sortBy === key;
        const Caret = values.sortDirection === 'ascending' ? caretUpIcon : caretDownIcon;
        const direction = values.sortDirection === 'ascending' ? trans.__('ascending') : trans.__('descending');
        return (
          <button
            key={key}
            className={classes('jp-EosBrowser-column', `jp-EosBrowser-column-${key}`, active && 'jp-mod-active')}
            aria-pressed={active}
            aria-description={active ? trans.__('Sorted %1', direction) : undefined}
            title={trans.__('Sort by %1', titles[key])}
            data-sort={active ? values.sortDirection : undefined}
            onClick={() => sort(key)}
          >
            {titles[key]}
            {active && <Caret.react tag="span" className="jp-EosBrowser-sortIcon" aria-hidden="true" />}
          </button>
        );
      })}
    </div>
  );
}
