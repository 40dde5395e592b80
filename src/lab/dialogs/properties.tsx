/**
 * The properties of an EOS item: what `GET api/stat` says, and every form of
 * its URI, each with a copy button.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget, copyIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { CountResponse, EosContext, StatResponse, parseUri, s3Uri, shareableUri } from '../../core';
import { formatDate, formatSize } from '../components/format';

/** S3 storage classes whose objects must be restored before they can be read. */
const ARCHIVED = new Set(['GLACIER', 'DEEP_ARCHIVE']);

/** One row of the properties table. */
export interface IProperty {
  label: string;
  value: string;
  /** Shown under the value (e.g. "archived: restore before reading"). */
  note?: string;
  /** Offer a copy button. */
  copy?: boolean;
  /** Prose, not a literal value: shown in the UI font. */
  prose?: boolean;
}

/** The rows for a stat answer: details first, then the URI forms. */
export function propertyRows(
  stat: StatResponse,
  ctx: EosContext | null,
  snippet: (uri: string) => string,
  trans: TranslationBundle
): IProperty[] {
  const rows: IProperty[] = [
    { label: trans.__('Kind'), value: stat.kind === 'folder' ? trans.__('Folder') : trans.__('Object'), prose: true },
    {
      label: trans.__('Access'),
      value: stat.access === 'read' ? trans.__('Read-only') : trans.__('Read and write'),
      prose: true
    }
  ];
  if (stat.size !== undefined) {
    rows.push({
      label: trans.__('Size'),
      value: trans._n('%2 byte', '%2 bytes', stat.size, stat.size.toLocaleString()),
      note: formatSize(stat.size),
      copy: true
    });
  }
  if (stat.modified) {
    rows.push({ label: trans.__('Modified'), value: formatDate(stat.modified), note: stat.modified, prose: true });
  }
  if (stat.storageClass) {
    rows.push({
      label: trans.__('Storage class'),
      value: stat.storageClass,
      note: ARCHIVED.has(stat.storageClass)
        ? trans.__('Archived: the object must be restored before it can be read.')
        : stat.storageClass === 'GLACIER_IR'
          ? trans.__('Archive storage: readable at once, at a higher retrieval cost.')
          : undefined
    });
  }
  if (stat.restore) {
    rows.push({ label: trans.__('Restore status'), value: stat.restore });
  }
  const optional: [string, string | undefined][] = [
    [trans.__('ETag'), stat.etag],
    [trans.__('Version'), stat.versionId],
    [trans.__('Content type'), stat.contentType],
    [trans.__('Content encoding'), stat.contentEncoding],
    [trans.__('Cache control'), stat.cacheControl]
  ];
  for (const [label, value] of optional) {
    if (value) {
      rows.push({ label, value, copy: label === trans.__('ETag') });
    }
  }
  for (const [name, value] of Object.entries(stat.metadata ?? {})) {
    rows.push({ label: trans.__('Metadata: %1', name), value, copy: true });
  }
  rows.push({ label: trans.__('EOS URI'), value: stat.uri, copy: true });
  if (ctx) {
    const path = parseUri(stat.uri);
    const shared = shareableUri(path, ctx);
    rows.push({ label: trans.__('Shareable URI'), value: shared, copy: true });
    rows.push({ label: trans.__('S3 URI'), value: s3Uri(path, ctx), copy: true });
    rows.push({ label: trans.__('Python'), value: snippet(shared), copy: true });
  }
  return rows;
}

/** What a folder holds, for its properties: the objects under it and their total size. */
export function contentRows(count: CountResponse, trans: TranslationBundle): IProperty[] {
  return [
    {
      label: trans.__('Objects'),
      value: count.more
        ? trans.__('More than %1', trans._n('%1 object', '%1 objects', count.objects))
        : trans._n('%1 object', '%1 objects', count.objects),
      note: count.more
        ? trans.__('Counting stopped there: the folder holds more')
        : trans.__('Everything under the folder, in every subfolder'),
      prose: true
    },
    {
      label: trans.__('Total size'),
      value: count.more
        ? trans.__('More than %1', trans._n('%2 byte', '%2 bytes', count.bytes, count.bytes.toLocaleString()))
        : trans._n('%2 byte', '%2 bytes', count.bytes, count.bytes.toLocaleString()),
      note: formatSize(count.bytes),
      copy: true
    }
  ];
}

/** The props of the properties view. */
export interface IPropertiesProps {
  rows: IProperty[];
  /** A folder's contents, counted while the dialog shows (rows placed after the kind and access). */
  contents?: Promise<IProperty[]>;
  /** Put text on the clipboard. */
  copy(text: string, label: string): void;
  trans: TranslationBundle;
}

/** A table of properties with copy buttons. */
export function Properties(props: IPropertiesProps): JSX.Element {
  const { trans, contents } = props;
  const [counted, setCounted] = React.useState<IProperty[] | null>(null);
  React.useEffect(() => {
    let live = true;
    const fail: IProperty[] = [{ label: trans.__('Objects'), value: trans.__('Could not be counted'), prose: true }];
    contents?.then(
      found => live && setCounted(found),
      () => live && setCounted(fail)
    );
    return () => {
      live = false;
    };
  }, [contents, trans]);
  const counting: IProperty[] = [{ label: trans.__('Objects'), value: trans.__('Counting…'), prose: true }];
  const extra = contents ? (counted ?? counting) : [];
  const rows = [...props.rows.slice(0, 2), ...extra, ...props.rows.slice(2)];
  return (
    <table className="jp-EosProperties">
      <tbody>
        {rows.map(row => (
          <tr key={row.label}>
            <th scope="row">{row.label}</th>
            <td>
              <div className={row.prose ? 'jp-EosProperties-value jp-mod-prose' : 'jp-EosProperties-value'}>
                {row.value}
              </div>
              {row.note && <div className="jp-EosProperties-note">{row.note}</div>}
            </td>
            <td className="jp-EosProperties-actions">
              {row.copy && (
                <button
                  className="jp-EosProperties-copy jp-Button jp-mod-minimal"
                  title={trans.__('Copy %1', row.label)}
                  aria-label={trans.__('Copy %1', row.label)}
                  onClick={() => props.copy(row.value, row.label)}
                >
                  <copyIcon.react tag="span" elementSize="normal" />
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The dialog body showing `Properties`. */
export function propertiesBody(props: IPropertiesProps): ReactWidget {
  const widget = ReactWidget.create(<Properties {...props} />);
  widget.addClass('jp-EosProperties-body');
  return widget;
}
