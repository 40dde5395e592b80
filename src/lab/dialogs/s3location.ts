/**
 * The Add S3 Location dialog: an `s3://bucket/prefix/` outside EOS and
 * whether to sign requests (public buckets are read unsigned). The accept
 * button stays disabled until the location parses.
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { EosContext, EosError, S3LocationSpec, locationUri } from '../../core';

/** Why `text` is not a location to add (the service's own words), or null with its canonical URI. */
export function locationProblem(text: string, ctx: EosContext | null): { uri: string | null; problem: string | null } {
  try {
    return { uri: locationUri(text, ctx), problem: null };
  } catch (reason) {
    return { uri: null, problem: reason instanceof EosError ? reason.message : String(reason) };
  }
}

/** The dialog's body: the location, the signing choice, and what is wrong. */
export class S3LocationBody extends Widget {
  constructor(
    trans: TranslationBundle,
    private readonly _ctx: EosContext | null
  ) {
    super();
    this.addClass('jp-EosDialog-s3location');
    const where = document.createElement('label');
    where.className = 'jp-EosDialog-label';
    where.textContent = trans.__('S3 location (a bucket, or a folder in it), read-only');
    this._uri = document.createElement('input');
    this._uri.className = 'jp-mod-styled jp-EosDialog-input';
    this._uri.type = 'text';
    this._uri.spellcheck = false;
    this._uri.placeholder = 's3://bucket/prefix/';
    where.appendChild(this._uri);
    const sign = document.createElement('label');
    sign.className = 'jp-EosDialog-check';
    this._sign = document.createElement('input');
    this._sign.type = 'checkbox';
    this._sign.checked = true;
    sign.append(this._sign, trans.__("Sign requests with this server's credentials (untick for a public bucket)"));
    this._message = document.createElement('div');
    this._message.className = 'jp-EosDialog-problem';
    this._message.setAttribute('role', 'alert');
    this._message.setAttribute('aria-live', 'polite');
    this.node.append(where, sign, this._message);
  }

  getValue(): S3LocationSpec | null {
    const { uri } = locationProblem(this._uri.value, this._ctx);
    return uri === null ? null : { uri, sign: this._sign.checked };
  }

  handleEvent(): void {
    this._typed = true;
    this._update();
  }

  protected onAfterAttach(): void {
    this._uri.addEventListener('input', this);
    this._update();
  }

  protected onBeforeDetach(): void {
    this._uri.removeEventListener('input', this);
  }

  private _update(): void {
    const { problem } = locationProblem(this._uri.value, this._ctx);
    this._message.textContent = this._typed && problem !== null ? problem : '';
    const accept = this.node.closest('.jp-Dialog-content')?.querySelector<HTMLButtonElement>('.jp-mod-accept');
    if (accept) {
      accept.disabled = problem !== null;
    }
  }

  private _message: HTMLElement;
  private _sign: HTMLInputElement;
  private _typed = false;
  private _uri: HTMLInputElement;
}

/** Ask for an S3 location to add; null when cancelled. */
export async function askS3Location(trans: TranslationBundle, ctx: EosContext | null): Promise<S3LocationSpec | null> {
  const result = await showDialog({
    title: trans.__('Add S3 Location'),
    body: new S3LocationBody(trans, ctx),
    focusNodeSelector: 'input[type="text"]',
    buttons: [Dialog.cancelButton({ label: trans.__('Cancel') }), Dialog.okButton({ label: trans.__('Add') })]
  });
  return result.button.accept ? result.value : null;
}
