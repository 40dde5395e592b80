/**
 * `eos:rename`: rename an item in its folder, or move it to any `e://`
 * (or `s3://`) location, as a server-side job.
 */
import { editIcon } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import type { IDisposable } from '@lumino/disposable';

import { EOS_SCHEME, Job, Routes, S3_SCHEME, canWrite, formatEosUri, parseEosUri, parseLocation } from '../../core';
import { askName, nameProblem } from '../dialogs/name';
import { asEosError, notifyError } from '../errors';
import { CommandIDs } from '../tokens';
import { ICommandContext, ITarget, isWritable, paletteLabel, targetsOf, uriArgs } from './context';
import { followJob, jobProgress } from './jobs';

/** Whether the text typed is a location rather than a name. */
function isLocation(text: string): boolean {
  return text.startsWith(EOS_SCHEME) || text.startsWith(S3_SCHEME);
}

/** The folder a rename/move destination lands in. */
export function destinationFolder(destination: string): string {
  return destination.endsWith('/') ? destination : destination.slice(0, destination.lastIndexOf('/') + 1);
}

/**
 * The URI an item has after moving to `destination`: into the folder when it
 * ends with `/`, else exactly there (a folder keeps its trailing slash).
 */
export function movedUri(target: ITarget, destination: string): string {
  const slash = target.kind === 'folder' ? '/' : '';
  return destination.endsWith('/') ? `${destination}${target.name}${slash}` : `${destination}${slash}`;
}

/** The one item `eos:rename` acts on: writable, not a root; else null. */
function renamable(model: ICommandContext['model'], args: ReadonlyPartialJSONObject): ITarget | null {
  const targets = targetsOf(model, args);
  const target = targets.length === 1 ? targets[0] : null;
  return target && !target.isRoot && target.parent !== null && isWritable(target, model.context) ? target : null;
}

/** The destination for what was typed: a sibling's URI, or the location typed in canonical form. */
function destinationOf(model: ICommandContext['model'], target: ITarget, text: string): string {
  if (!isLocation(text)) {
    return `${target.parent}${text}`;
  }
  const path = model.context ? parseLocation(text, model.context) : parseEosUri(text);
  return formatEosUri(path);
}

/** Why the name or location typed for `target` is refused, or null. */
function renameProblem(context: ICommandContext, target: ITarget, text: string): string | null {
  const { model, trans } = context;
  if (!isLocation(text)) {
    return nameProblem(text, trans) ?? (text === target.name ? trans.__('Type a new name.') : null);
  }
  let destination: string;
  try {
    destination = destinationOf(model, target, text);
  } catch (reason) {
    return asEosError(reason).message;
  }
  const path = parseEosUri(destination);
  if (model.context && !canWrite(path, model.context)) {
    return trans.__('%1 is read-only.', destination);
  }
  if (path.key === '' && !destination.endsWith('/')) {
    return trans.__('Choose a location inside a namespace.');
  }
  const moved = movedUri(target, destination);
  if (moved === target.uri) {
    return trans.__('%1 is already there.', target.name);
  }
  if (target.kind === 'folder' && moved.startsWith(target.uri)) {
    return trans.__('A folder cannot be moved into itself.');
  }
  return null;
}

/** Move `target` to `destination` as a server-side job, follow it, and select it where it landed. */
async function moveTo(context: ICommandContext, target: ITarget, destination: string): Promise<void> {
  const { model, trans } = context;
  let job: Job | null;
  try {
    job = await context.request(Routes.copy, { body: { sources: [target.uri], destination, move: true } });
  } catch (reason) {
    notifyError(reason, trans, trans.__('Cannot move %1', target.name));
    return;
  }
  const moved = movedUri(target, destination);
  job = await followJob(job, context, {
    running: j => trans.__('Moving %1… %2', target.name, jobProgress(j, trans)),
    done: () => trans.__('Moved %1 to %2', target.name, moved),
    failed: trans.__('Cannot move %1', target.name),
    cancelled: j => trans.__('Move of %1 cancelled after %2', target.name, jobProgress(j, trans))
  });
  const folders = [...new Set([target.parent!, destinationFolder(destination)])];
  await Promise.all(folders.map(folder => model.refresh(folder)));
  if (job?.state === 'done') {
    model.select(moved);
  }
}

/** Register `eos:rename`. */
export function addRenameCommand(commands: CommandRegistry, context: ICommandContext): IDisposable {
  const { model, trans } = context;
  return commands.addCommand(CommandIDs.rename, {
    label: paletteLabel(trans, trans.__('Rename or Move…')),
    caption: trans.__('Rename the selected EOS item, or move it by typing a full e:// path'),
    icon: editIcon,
    describedBy: uriArgs(trans.__('The e:// URI to rename; the selection by default')),
    isEnabled: args => renamable(model, args) !== null,
    execute: async args => {
      const target = renamable(model, args);
      if (!target) {
        return;
      }
      const dot = target.name.lastIndexOf('.');
      const text = await askName({
        title: target.kind === 'folder' ? trans.__('Rename Folder') : trans.__('Rename File'),
        label: trans.__('New name, or a full e:// path to move %1 elsewhere', target.name),
        value: target.name,
        selection: [0, target.kind === 'object' && dot > 0 ? dot : target.name.length],
        accept: trans.__('Rename'),
        validate: value => renameProblem(context, target, value),
        trans
      });
      if (text !== null) {
        await moveTo(context, target, destinationOf(model, target, text));
      }
    }
  });
}
