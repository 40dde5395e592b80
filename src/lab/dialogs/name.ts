/**
 * A dialog asking for a name (new folder, rename), validated as the user
 * types: a problem is said once the user has typed (or tried to submit); until
 * then the accept button is only disabled.
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

/**
 * Why `name` cannot name an item in a folder, or null when it can: not empty,
 * not `.` or `..`, no `/`, no NUL.
 */
export function nameProblem(name: string, trans: TranslationBundle): string | null {
  if (name === '') {
    return trans.__('Enter a name.');
  }
  if (name === '.' || name === '..') {
    return trans.__('"%1" cannot be used as a name.', name);
  }
  if (name.includes('/')) {
    return trans.__('A name cannot contain "/".');
  }
  if (name.includes('\0')) {
    return trans.__('A name cannot contain a NUL character.');
  }
  return null;
}

/** The body of the name dialog: a text field and the reason its text is refused. */
export class NameBody extends Widget {
  constructor(options: NameBody.IOptions) {
    super();
    this.addClass('jp-EosDialog-name');
    this._validate = options.validate;
    const label = document.createElement('label');
    label.className = 'jp-EosDialog-label';
    label.textContent = options.label;
    this._input = document.createElement('input');
    this._input.className = 'jp-mod-styled jp-EosDialog-input';
    this._input.type = 'text';
    this._input.spellcheck = false;
    this._input.value = options.value;
    label.appendChild(this._input);
    this._message = document.createElement('div');
    this._message.className = 'jp-EosDialog-problem';
    this._message.setAttribute('role', 'alert');
    this._message.setAttribute('aria-live', 'polite');
    this.node.append(label, this._message);
    this._selection = options.selection ?? [0, options.value.length];
    // A problem given is the last submit's: say it at once.
    this._said = options.problem !== undefined && options.problem !== null;
    this._show(options.problem ?? null);
  }

  /** The text field (it takes the focus when the dialog opens). */
  get input(): HTMLInputElement {
    return this._input;
  }

  /** The name typed. */
  getValue(): string {
    return this._input.value;
  }

  handleEvent(event: Event): void {
    if (event.type === 'input') {
      this._said = true;
      this._show(this._validate(this._input.value));
    }
  }

  protected onAfterAttach(): void {
    this._input.addEventListener('input', this);
    this._input.setSelectionRange(...this._selection);
    this._show(this._validate(this._input.value));
  }

  protected onBeforeDetach(): void {
    this._input.removeEventListener('input', this);
  }

  /** Disable the accept button while `problem` stands; say it once the user has typed or submitted. */
  private _show(problem: string | null): void {
    const said = this._said ? problem : null;
    this._message.textContent = said ?? '';
    this._input.setAttribute('aria-invalid', said ? 'true' : 'false');
    const accept = this.node.closest('.jp-Dialog-content')?.querySelector<HTMLButtonElement>('.jp-mod-accept');
    if (accept) {
      accept.disabled = problem !== null;
    }
  }

  private _input: HTMLInputElement;
  private _message: HTMLElement;
  private _said: boolean;
  private _selection: [number, number];
  private _validate: (value: string) => string | null;
}

/** The namespace for `NameBody` statics. */
export namespace NameBody {
  export interface IOptions {
    /** The field's label. */
    label: string;
    /** The text the field starts with. */
    value: string;
    /** Why `value` is refused, or null when it is fine. */
    validate(value: string): string | null;
    /** The characters selected at first (the whole text by default). */
    selection?: [number, number];
    /** A problem to show from the start (the last attempt's). */
    problem?: string | null;
  }
}

/** What `askName` shows. */
export interface IAskNameOptions extends Omit<NameBody.IOptions, 'problem'> {
  title: string;
  /** The accept button's label. */
  accept: string;
  trans: TranslationBundle;
}

/**
 * Ask for a name until the user gives a valid one or cancels (Enter submits
 * even when the accept button is disabled, so the dialog opens again with the
 * reason).
 *
 * @returns the name, or null when cancelled.
 */
export async function askName(options: IAskNameOptions): Promise<string | null> {
  const { trans } = options;
  let value = options.value;
  let selection = options.selection;
  let problem: string | null = null;
  for (;;) {
    const body = new NameBody({ ...options, value, selection, problem });
    const result = await showDialog({
      title: options.title,
      body,
      focusNodeSelector: 'input',
      buttons: [Dialog.cancelButton({ label: trans.__('Cancel') }), Dialog.okButton({ label: options.accept })]
    });
    if (!result.button.accept || result.value === null) {
      return null;
    }
    value = result.value;
    problem = options.validate(value);
    if (problem === null) {
      return value;
    }
    selection = [0, value.length];
  }
}
