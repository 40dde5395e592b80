/**
 * The Transfers sidebar: every job of the service with its progress, rate,
 * ETA and state; Cancel, Retry, Clear finished; conflict questions answered
 * in place; failures listed under their job.
 */
import { ITranslator, TranslationBundle, nullTranslator } from '@jupyterlab/translation';
import {
  LabIcon,
  ReactWidget,
  copyIcon,
  cutIcon,
  deleteIcon,
  downloadIcon,
  fileUploadIcon,
  linkIcon,
  refreshIcon
} from '@jupyterlab/ui-components';
import type { Message } from '@lumino/messaging';
import * as React from 'react';

import { ConflictChoice, ConflictQuestion, Job, JobKind } from '../../core';
import { integrityLabel, kindLabel, routeText, stateLabel } from './labels';
import { useModelChanged } from '../components/hooks';
import { formatDate, formatEta, formatPercent, formatRate, formatSize } from '../components/format';
import { notifyError } from '../errors';
import { transfersIcon } from '../icons';
import { TransfersModel } from './model';

export { kindLabel, routeText, stateLabel };

/** The kind's icon in a row. */
const KIND_ICONS: Record<JobKind, LabIcon> = {
  upload: fileUploadIcon,
  'computer-upload': fileUploadIcon,
  download: downloadIcon,
  copy: copyIcon,
  move: cutIcon,
  delete: deleteIcon,
  sync: refreshIcon,
  offload: fileUploadIcon,
  import: linkIcon
};

/** A progress bar of `done` out of `total`; indeterminate while the total is unknown. */
export function ProgressBar(props: { done: number; total: number | null; label: string }): JSX.Element {
  const { done, total, label } = props;
  const known = total !== null && total > 0;
  const fraction = known ? Math.min(done / total, 1) : total === 0 ? 1 : 0;
  return (
    <div
      className={`jp-EosTransfers-progress${total === null ? ' jp-mod-indeterminate' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={known ? total : undefined}
      aria-valuenow={known ? Math.min(done, total) : undefined}
      aria-valuetext={known ? formatPercent(fraction) : undefined}
    >
      <div
        className="jp-EosTransfers-progressFill"
        style={total === null ? undefined : { width: `${fraction * 100}%` }}
      />
    </div>
  );
}

/** A conflict question with its three answers and "Apply to all". */
function Question(props: {
  job: Job;
  question: ConflictQuestion;
  onAnswer: (choice: ConflictChoice, applyToAll: boolean) => void;
  trans: TranslationBundle;
}): JSX.Element {
  const { job, question, trans } = props;
  const [all, setAll] = React.useState(false);
  const side = (size?: number, modified?: string) =>
    [size !== undefined ? formatSize(size) : null, modified ? formatDate(modified) : null].filter(Boolean).join(', ');
  const more = (job.questions ?? 1) - 1;
  return (
    <div className="jp-EosTransfers-question" role="group" aria-label={trans.__('%1 exists', question.target)}>
      <div className="jp-EosTransfers-questionText">
        <strong>{trans.__('%1 exists', question.target)}</strong>
      </div>
      <div className="jp-EosTransfers-questionSides">
        <div>{trans.__('Existing: %1', side(question.targetSize, question.targetModified) || '—')}</div>
        <div>{trans.__('New: %1', side(question.sourceSize, question.sourceModified) || '—')}</div>
        {more > 0 && <div>{trans._n('%1 more conflict waits', '%1 more conflicts wait', more)}</div>}
      </div>
      <div className="jp-EosBrowser-button jp-EosTransfers-buttons">
        <button
          className="jp-EosBrowser-button jp-EosTransfers-button jp-mod-warn"
          onClick={() => props.onAnswer('overwrite', all)}
        >
          {trans.__('Overwrite')}
        </button>
        <button className="jp-EosBrowser-button jp-EosTransfers-button" onClick={() => props.onAnswer('skip', all)}>
          {trans.__('Skip')}
        </button>
        <button
          className="jp-EosBrowser-button jp-EosTransfers-button"
          onClick={() => props.onAnswer('keep-both', all)}
        >
          {trans.__('Keep both')}
        </button>
        <label className="jp-EosTransfers-applyAll">
          <input type="checkbox" checked={all} onChange={event => setAll(event.target.checked)} />
          {trans.__('Apply to all')}
        </label>
      </div>
    </div>
  );
}

/** The facts under a job's progress bar: files, bytes, and while it runs its rate and time left. */
function jobFacts(job: Job, done: number, trans: TranslationBundle): string {
  const total = job.bytes.total;
  const facts: string[] = [];
  facts.push(
    job.objects.total === null
      ? trans._n('%1 file', '%1 files', job.objects.done)
      : trans.__('%1 of %2 files', job.objects.done, job.objects.total)
  );
  facts.push(total === null ? formatSize(done) : trans.__('%1 of %2', formatSize(done), formatSize(total)));
  if (job.state === 'running' && job.rate !== undefined && job.rate > 0) {
    facts.push(formatRate(job.rate));
  }
  if (job.state === 'running' && job.eta !== undefined) {
    facts.push(trans.__('%1 left', formatEta(job.eta)));
  }
  return facts.join(' · ');
}

/** The items of a job that failed, folded. */
function JobFailures(props: { failures: NonNullable<Job['failures']>; trans: TranslationBundle }): JSX.Element {
  const { failures, trans } = props;
  return (
    <details className="jp-EosTransfers-failures">
      <summary>{trans._n('%1 item failed', '%1 items failed', failures.length)}</summary>
      <ul>
        {failures.map((failure, i) => (
          <li key={i}>
            <span className="jp-EosTransfers-failureItem">{failure.item}</span>: {failure.error.message}
          </li>
        ))}
      </ul>
    </details>
  );
}

/** One job as a row. */
export function JobRow(props: { job: Job; model: TransfersModel; trans: TranslationBundle }): JSX.Element {
  const { job, model, trans } = props;
  const kind = kindLabel(job.kind, trans);
  const done = model.bytesDone(job);
  const act = (what: string, action: () => Promise<unknown>) => () => {
    action().catch(reason => notifyError(reason, trans, what));
  };
  const route = routeText(job);
  const integrity = integrityLabel(job, trans);
  return (
    <li
      className={`jp-EosTransfers-job jp-mod-${job.state}`}
      aria-label={trans.__('%1: %2', kind, route)}
      data-job-id={job.id}
    >
      <JobHead job={job} model={model} trans={trans} done={done} act={act} />
      <div className="jp-EosTransfers-route" title={[...job.sources, job.destination ?? ''].join('\n')}>
        {route}
      </div>
      <ProgressBar done={done} total={job.bytes.total} label={trans.__('Progress of %1', route)} />
      <div className="jp-EosTransfers-facts">{jobFacts(job, done, trans)}</div>
      {job.state !== 'running' && integrity !== null && <div className="jp-EosTransfers-integrity">{integrity}</div>}
      {job.state === 'running' && job.current && (
        <div className="jp-EosTransfers-current" title={job.current}>
          {job.current}
        </div>
      )}
      {job.error && (
        <div className="jp-EosTransfers-error" role="alert">
          {job.error.message}
        </div>
      )}
      {job.state === 'interrupted' && !job.error && (
        <div className="jp-EosTransfers-error" role="alert">
          {job.retryable || job.retriedAs
            ? trans.__('The EOS service stopped while this ran; Retry runs it again.')
            : trans.__('The EOS service stopped while this ran; start it again.')}
        </div>
      )}
      {job.question && job.state === 'running' && (
        <Question
          job={job}
          question={job.question}
          trans={trans}
          onAnswer={(choice, all) =>
            act(trans.__('Cannot answer'), () => model.answer(job.id, job.question!.id, choice, all))()
          }
        />
      )}
      {job.failures && job.failures.length > 0 && <JobFailures failures={job.failures} trans={trans} />}
    </li>
  );
}

/** A job's first line: its kind, its state, and Cancel or Retry. */
function JobHead(props: {
  job: Job;
  model: TransfersModel;
  trans: TranslationBundle;
  done: number;
  act: (what: string, action: () => Promise<unknown>) => () => void;
}): JSX.Element {
  const { job, model, trans, act } = props;
  const Icon = KIND_ICONS[job.kind];
  const kind = kindLabel(job.kind, trans);
  const route = routeText(job);
  return (
    <div className="jp-EosTransfers-jobHead">
      <Icon.react tag="span" className="jp-EosTransfers-kindIcon" title={kind} />
      <span className="jp-EosTransfers-kind">{kind}</span>
      <span className="jp-EosTransfers-state">{stateLabel(job, trans, props.done)}</span>
      {job.state === 'running' && (
        <button
          className="jp-EosBrowser-button jp-EosTransfers-button"
          aria-label={trans.__('Cancel %1', route)}
          title={trans.__('Cancel this transfer')}
          onClick={act(trans.__('Cannot cancel'), () => model.cancel(job.id))}
        >
          {trans.__('Cancel')}
        </button>
      )}
      {job.retryable && !job.retriedAs && (
        <button
          className="jp-EosBrowser-button jp-EosTransfers-button"
          aria-label={trans.__('Retry %1', route)}
          title={trans.__('Run this transfer again')}
          onClick={act(trans.__('Cannot retry'), () => model.retry(job.id))}
        >
          {trans.__('Retry')}
        </button>
      )}
    </div>
  );
}

/** The whole panel: a header with "Clear finished", then the jobs waiting for an answer, then the others, newest first. */
export function TransfersView(props: { model: TransfersModel; trans: TranslationBundle }): JSX.Element {
  const { model, trans } = props;
  useModelChanged(model);
  const newest = [...model.jobs].reverse();
  const jobs = [...newest.filter(job => job.question), ...newest.filter(job => !job.question)];
  const finished = jobs.some(job => job.state !== 'running');
  return (
    <>
      <div className="jp-EosTransfers-header">
        <h2 className="jp-EosTransfers-title">{trans.__('Transfers')}</h2>
        <button
          className="jp-EosBrowser-button jp-EosTransfers-button"
          disabled={!finished}
          title={trans.__('Remove finished, failed and cancelled transfers from the list')}
          onClick={() => model.clear().catch(reason => notifyError(reason, trans, trans.__('Cannot clear')))}
        >
          {trans.__('Clear finished')}
        </button>
      </div>
      {!model.connected && model.error && (
        <div className="jp-EosTransfers-banner" role="alert">
          {trans.__('Cannot reach the EOS service: %1', model.error.message)}
        </div>
      )}
      {jobs.length === 0 ? (
        <div className="jp-EosTransfers-empty">
          {trans.__('No transfers. Drag files onto an EOS folder, or use Upload in the EOS panel.')}
        </div>
      ) : (
        <ul className="jp-EosTransfers-list" aria-label={trans.__('Transfers')}>
          {jobs.map(job => (
            <JobRow key={job.id} job={job} model={model} trans={trans} />
          ))}
        </ul>
      )}
    </>
  );
}

/** The sidebar widget; it starts the model (the event stream) when first attached. */
export class TransfersPanel extends ReactWidget {
  constructor(options: TransfersPanel.IOptions) {
    super();
    this._model = options.model;
    this._trans = (options.translator ?? nullTranslator).load('jupyterlab_eos');
    this.id = 'eos-transfers';
    this.addClass('jp-EosTransfers');
    this.title.icon = transfersIcon;
    this.title.caption = this._trans.__('EOS transfers');
  }

  /** The jobs shown. */
  get model(): TransfersModel {
    return this._model;
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    this._model.start();
  }

  protected render(): JSX.Element {
    return <TransfersView model={this._model} trans={this._trans} />;
  }

  private _model: TransfersModel;
  private _trans: TranslationBundle;
}

/** The namespace for `TransfersPanel` statics. */
export namespace TransfersPanel {
  /** The options to create the panel. */
  export interface IOptions {
    /** The jobs to show. */
    model: TransfersModel;
    /** Translates the panel's strings; none by default. */
    translator?: ITranslator;
  }
}
