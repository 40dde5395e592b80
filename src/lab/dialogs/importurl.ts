/**
 * The Import from URL dialog: http(s) URLs, one a line, and (for one URL) the
 * object's name. The accept button stays disabled until every line is an
 * http(s) URL and the name, if typed, is one.
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { nameProblem } from './name';

/** What the dialog gives: the URLs, and a name when one URL was given one. */
export interface IImportInput {
  urls: string[];
  name?: string;
}

/** The URLs of `text`, one a line (blank lines left out). */
export function urlLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map(line => line.trim())
    .filter(line => line !== '');
}

/** Why `input` cannot be imported, or null when it can. */
export function importProblem(input: IImportInput, trans: TranslationBundle): string | null {
  if (input.urls.length === 0) {
    return trans.__('Enter a URL.');
  }
  for (const line of input.urls) {
    let url: URL | null = null;
    try {
      url = new URL(line);
    } catch {
      // said below
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      return trans.__('Not an http:// or https:// URL: %1', line);
    }
  }
  if (input.name !== undefined) {
    if (input.urls.length > 1) {
      return trans.__('A name can be given to one URL only.');
    }
    return nameProblem(input.name, trans);
  }
  return null;
}

/** The dialog's body: the URLs, the name, and what is wrong with them. */
export class ImportBody extends Widget {
  constructor(
    private readonly _trans: TranslationBundle,
    folder: string
  ) {
    super();
    this.addClass('jp-EosDialog-import');
    const urls = document.createElement('label');
    urls.className = 'jp-EosDialog-label';
    urls.textContent = _trans.__('URLs to import into %1, one a line', folder);
    this._urls = document.createElement('textarea');
    this._urls.className = 'jp-mod-styled jp-EosDialog-input';
    this._urls.rows = 3;
    this._urls.spellcheck = false;
    this._urls.placeholder = 'https://…';
    urls.appendChild(this._urls);
    const name = document.createElement('label');
    name.className = 'jp-EosDialog-label';
    name.textContent = _trans.__('Name in EOS (one URL; empty: the name the server gives)');
    this._name = document.createElement('input');
    this._name.className = 'jp-mod-styled jp-EosDialog-input';
    this._name.type = 'text';
    this._name.spellcheck = false;
    name.appendChild(this._name);
    this._message = document.createElement('div');
    this._message.className = 'jp-EosDialog-problem';
    this._message.setAttribute('role', 'alert');
    this._message.setAttribute('aria-live', 'polite');
    this.node.append(urls, name, this._message);
  }

  /** The URL field (it takes the focus when the dialog opens). */
  get input(): HTMLTextAreaElement {
    return this._urls;
  }

  getValue(): IImportInput {
    const urls = urlLines(this._urls.value);
    const name = this._name.value.trim();
    return name === '' ? { urls } : { urls, name };
  }

  handleEvent(): void {
    this._typed = true;
    this._update();
  }

  protected onAfterAttach(): void {
    this._urls.addEventListener('input', this);
    this._name.addEventListener('input', this);
    this._update();
  }

  protected onBeforeDetach(): void {
    this._urls.removeEventListener('input', this);
    this._name.removeEventListener('input', this);
  }

  private _update(): void {
    const value = this.getValue();
    const problem = importProblem(value, this._trans);
    this._message.textContent = this._typed && problem !== null ? problem : '';
    this._name.disabled = value.urls.length > 1;
    const accept = this.node.closest('.jp-Dialog-content')?.querySelector<HTMLButtonElement>('.jp-mod-accept');
    if (accept) {
      accept.disabled = problem !== null;
    }
  }

  private _message: HTMLElement;
  private _name: HTMLInputElement;
  private _typed = false;
  private _urls: HTMLTextAreaElement;
}

/** Ask for URLs to import into `folder`; null when cancelled. */
export async function askImport(folder: string, trans: TranslationBundle): Promise<IImportInput | null> {
  const body = new ImportBody(trans, folder);
  const result = await showDialog({
    title: trans.__('Import from URL'),
    body,
    focusNodeSelector: 'textarea',
    buttons: [Dialog.cancelButton({ label: trans.__('Cancel') }), Dialog.okButton({ label: trans.__('Import') })]
  });
  if (!result.button.accept || result.value === null || importProblem(result.value, trans) !== null) {
    return null;
  }
  return result.value;
}
