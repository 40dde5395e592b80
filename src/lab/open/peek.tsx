/**
 * Peek: the first records of an EOS object in a read-only main-area view,
 * fetched by `api/head` (ranged GETs, decompressed as they arrive); the view
 * says how many bytes were read out of the object's size.
 */
import { MainAreaWidget, ReactWidget } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { refreshIcon, searchIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { HeadQuery, HeadResponse, MAX_HEAD_LINES, lastSegment } from '../../core';
import { formatSize } from '../components/format';
import { IPeekView, PeekKind, peekKind, peekQuery, peekView } from './formats';

/** What a Peek view is built with. */
export interface IPeekOptions {
  /** The object's `e://` URI. */
  uri: string;
  /** Records shown first; "Show more" doubles them. */
  records: number;
  /** Calls `api/head`. */
  head: (query: HeadQuery) => Promise<HeadResponse>;
  trans: TranslationBundle;
}

/**
 * FASTQ reads as the file holds them, four lines each (header, sequence, `+`,
 * qualities), in a fixed-width font so each quality sits under its base; a
 * long read scrolls sideways rather than being cut.
 */
function FastqReads(props: { view: IPeekView; trans: TranslationBundle }): JSX.Element {
  const { view, trans } = props;
  return (
    <ol className="jp-EosPeek-reads" aria-label={trans.__('Reads')}>
      {view.rows.map(([name, length, sequence, quality], r) => (
        <li key={r} className="jp-EosPeek-read" aria-label={trans.__('Read %1: %2 (%3 bases)', r + 1, name, length)}>
          <span className="jp-EosPeek-index" aria-hidden="true">
            {r + 1}
          </span>
          <pre className="jp-EosPeek-readLines">
            <span className="jp-EosPeek-readHeader">{`@${name}`}</span>
            {`\n${sequence}\n+\n`}
            <span className="jp-EosPeek-quality">{quality}</span>
          </pre>
        </li>
      ))}
    </ol>
  );
}

/** The table (or plain lines) of a view. */
function PeekTable(props: { view: IPeekView; trans: TranslationBundle }): JSX.Element {
  const { view, trans } = props;
  if (view.kind === 'fastq') {
    return <FastqReads view={view} trans={trans} />;
  }
  if (view.columns.length === 0) {
    return <pre className="jp-EosPeek-text">{view.rows.map(r => r[0]).join('\n')}</pre>;
  }
  return (
    <table className="jp-EosPeek-table">
      <thead>
        <tr>
          <th className="jp-EosPeek-index">#</th>
          {view.columns.map((c, i) => (
            <th key={i}>{c}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {view.rows.map((row, r) => (
          <tr key={r}>
            <td className="jp-EosPeek-index">{r + 1}</td>
            {row.map((cell, i) => (
              <td key={i}>{cell}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What Peek shows: the last answer and the records it was asked for. */
interface IShown {
  head: HeadResponse;
  records: number;
}

/**
 * Read the first `records` of `uri` (again when `reload` changes). What is
 * shown stays the last answer, and the labels follow it, not the request
 * under way, until the new answer arrives.
 */
function usePeekHead(
  props: IPeekOptions,
  kind: PeekKind,
  records: number,
  reload: number
): { shown: IShown | null; error: string | null; loading: boolean } {
  const { uri, head: fetchHead } = props;
  const [shown, setShown] = React.useState<IShown | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const [loading, setLoading] = React.useState(true);
  React.useEffect(() => {
    let live = true;
    setLoading(true);
    setError(null);
    fetchHead(peekQuery(uri, kind, records))
      .then(answer => live && setShown({ head: answer, records }))
      .catch(reason => live && setError(reason instanceof Error ? reason.message : String(reason)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [uri, kind, records, reload, fetchHead]);
  return { shown, error, loading };
}

/** The line above the table: what was read of how much, and the actions. */
function PeekSummary(props: {
  uri: string;
  head: HeadResponse | null;
  view: IPeekView | null;
  loading: boolean;
  /** The records "Show more" asks for, or null when there is no more to show. */
  more: number | null;
  onMore: () => void;
  onReload: () => void;
  trans: TranslationBundle;
}): JSX.Element {
  const { uri, head, view, loading, more, trans } = props;
  const units = {
    reads: trans.__('reads'),
    records: trans.__('records'),
    rows: trans.__('rows'),
    lines: trans.__('lines')
  };
  return (
    <div className="jp-EosPeek-summary" role="status">
      {head && view && (
        <span>
          {trans.__(
            'First %1 %2 of %3: read %4 of %5%6',
            view.rows.length,
            units[view.unit],
            lastSegment(uri),
            formatSize(head.bytesRead),
            formatSize(head.size),
            head.compressed ? trans.__(' (gzip, %1 decompressed)', formatSize(head.bytesDecoded)) : ''
          )}
          {head.complete ? ` ${trans.__('(the whole file)')}` : ''}
          {head.cut > 0 ? ` ${trans.__('%1 long lines cut', head.cut)}` : ''}
        </span>
      )}
      {loading && <span className="jp-EosPeek-loading">{trans.__('Reading %1…', uri)}</span>}
      <span className="jp-EosPeek-actions">
        {more !== null && (
          <button
            className="jp-mod-styled jp-mod-accept"
            title={trans.__('Show the first %1 %2', more, units[view?.unit ?? 'lines'])}
            onClick={props.onMore}
            disabled={loading}
          >
            {trans.__('Show %1', more)}
          </button>
        )}
        <button
          className="jp-mod-styled"
          title={trans.__('Read again')}
          aria-label={trans.__('Read again')}
          onClick={props.onReload}
          disabled={loading}
        >
          <refreshIcon.react tag="span" />
        </button>
      </span>
    </div>
  );
}

/** The Peek view of one object. */
export function Peek(props: IPeekOptions): JSX.Element {
  const { uri, trans } = props;
  const kind: PeekKind = peekKind(lastSegment(uri));
  const [records, setRecords] = React.useState(props.records);
  const [reload, setReload] = React.useState(0);
  const { shown, error, loading } = usePeekHead(props, kind, records, reload);
  const head = shown?.head ?? null;
  const view = head ? peekView(kind, head) : null;
  const next = (shown?.records ?? records) * 2;
  const canMore = head !== null && !head.complete && next * (kind === 'fastq' ? 4 : 1) <= MAX_HEAD_LINES;
  return (
    <div className="jp-EosPeek" aria-busy={loading}>
      <PeekSummary
        uri={uri}
        head={head}
        view={view}
        loading={loading}
        more={canMore ? next : null}
        onMore={() => setRecords(next)}
        onReload={() => setReload(reload + 1)}
        trans={trans}
      />
      {error && (
        <div className="jp-EosPeek-error" role="alert">
          {error}
        </div>
      )}
      {view && view.meta.length > 0 && (
        <details className="jp-EosPeek-meta">
          <summary>{trans.__('%1 header lines', view.meta.length)}</summary>
          <pre>{view.meta.join('\n')}</pre>
        </details>
      )}
      {view && <PeekTable view={view} trans={trans} />}
    </div>
  );
}

/** A main-area widget peeking into an object. */
export function createPeekWidget(options: IPeekOptions): MainAreaWidget {
  const content = ReactWidget.create(<Peek {...options} />);
  content.addClass('jp-EosPeek-content');
  const widget = new MainAreaWidget({ content });
  widget.id = `eos-peek-${Math.random().toString(36).slice(2)}`;
  widget.title.label = options.trans.__('Peek: %1', lastSegment(options.uri));
  widget.title.caption = options.uri;
  widget.title.icon = searchIcon;
  widget.title.closable = true;
  widget.addClass('jp-EosPeek-widget');
  return widget;
}
