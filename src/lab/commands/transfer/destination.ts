/**
 * Where a transfer goes: the last EOS destination (kept across reloads), the
 * EOS or local folder typed in a field (parsed, or why it is refused), and
 * the dialog that asks for an EOS folder.
 */
import { formatEosUri, parseEosUri, parseLocation } from '../../../core';
import { askName } from '../../dialogs/name';
import { writeProblem } from '../../dnd/targets';
import { asEosError } from '../../errors';
import { ICommandContext } from '../context';
import { ITransferContext } from './context';

/** Where the last EOS folder used as a destination is kept. */
export const LAST_FOLDER_KEY = 'jupyterlab-eos:last-destination';

/** The last EOS folder used as a destination, or `e://users/me/`. */
export async function lastFolder(context: ITransferContext): Promise<string> {
  try {
    const value = await context.state?.fetch(LAST_FOLDER_KEY);
    if (typeof value === 'string' && value.startsWith('e://')) {
      return value;
    }
  } catch {
    // No saved folder: the default.
  }
  return context.model.whoami?.home ?? 'e://users/me/';
}

/** Remember `folder` as the last EOS destination. */
export async function rememberFolder(context: ITransferContext, folder: string): Promise<void> {
  try {
    await context.state?.save(LAST_FOLDER_KEY, folder);
  } catch {
    // Not kept: the next dialog starts from the default.
  }
}

/**
 * The EOS folder typed in a destination field, in canonical form with a
 * trailing slash (`e://` or `s3://`), or why it is refused.
 */
export function parseEosFolder(
  text: string,
  context: Pick<ICommandContext, 'model' | 'trans'>
): { folder: string } | { problem: string } {
  const { model, trans } = context;
  const trimmed = text.trim();
  if (trimmed === '') {
    return { problem: trans.__('Enter an e:// folder.') };
  }
  let folder: string;
  try {
    const path = model.context ? parseLocation(trimmed, model.context) : parseEosUri(trimmed);
    folder = formatEosUri(path);
  } catch (reason) {
    return { problem: asEosError(reason).message };
  }
  if (!folder.endsWith('/')) {
    folder += '/';
  }
  const problem = writeProblem(folder, model.node(folder)?.access ?? null, model.context, trans);
  return problem ? { problem } : { folder };
}

/** Why a local folder typed in a field is refused (absolute, or leading out of the root), or null. */
export function localFolderProblem(text: string, context: Pick<ICommandContext, 'trans'>): string | null {
  const { trans } = context;
  if (text.startsWith('/') || /^[A-Za-z]:[\\/]/.test(text)) {
    return trans.__('Give a folder relative to the Jupyter root, without a leading "/".');
  }
  if (text.split('/').includes('..')) {
    return trans.__('A folder outside the Jupyter root cannot be used.');
  }
  return null;
}

/** Show the local folder as the file browser names it (`/` for the root). */
export function localLabel(folder: string): string {
  return `/${folder}`;
}

/** Ask for an EOS destination folder (defaulting to `value`); null when cancelled. */
export async function askEosFolder(
  context: ITransferContext,
  options: { title: string; label: string; value: string; accept: string }
): Promise<string | null> {
  // The read-only rules need `whoami` (the EOS panel may not have been opened yet).
  await context.model.initialize().catch(() => undefined);
  const text = await askName({
    ...options,
    trans: context.trans,
    selection: [options.value.length, options.value.length],
    validate: value => {
      const parsed = parseEosFolder(value, context);
      return 'problem' in parsed ? parsed.problem : null;
    }
  });
  if (text === null) {
    return null;
  }
  const parsed = parseEosFolder(text, context);
  return 'folder' in parsed ? parsed.folder : null;
}
