/**
 * The copy commands: e://, shareable and s3:// URIs and presigned URLs, one
 * line per selected item, and `File(path_e=...)` snippets (a Python list of
 * them for several items).
 */
import { Notification } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { copyIcon, linkIcon, pythonIcon, shareIcon } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import type { IDisposable } from '@lumino/disposable';

import { EosContext, MAX_PRESIGN_SECONDS, PresignResponse, Routes, s3Uri, shareableUri } from '../../core';
import { formatDate } from '../components/format';
import { detailsAction, notifyError } from '../errors';
import { CommandIDs } from '../tokens';
import { ICommandContext, ITarget, copyText, paletteLabel, pathOf, targetsOf, uriArgs } from './context';

// The snippet is shared with the `eos uri` command line.
import { pythonSnippets } from '../../core/snippet';
export { pythonSnippet, pythonString } from '../../core/snippet';

/** A duration for people: `15 minutes`, `48 hours`, `7 days`. */
export function formatDuration(seconds: number, trans: TranslationBundle): string {
  if (seconds < 90) {
    return trans._n('%1 second', '%1 seconds', Math.max(0, Math.round(seconds)));
  }
  if (seconds < 90 * 60) {
    return trans._n('%1 minute', '%1 minutes', Math.round(seconds / 60));
  }
  if (seconds < 72 * 3600) {
    return trans._n('%1 hour', '%1 hours', Math.round(seconds / 3600));
  }
  return trans._n('%1 day', '%1 days', Math.round(seconds / 8640) / 10);
}

/** The presign request's lifetime from the settings: hours to seconds, at most SigV4's 7 days. */
export function presignSeconds(hours: number): number {
  const seconds = Math.round((Number.isFinite(hours) ? hours : 48) * 3600);
  return Math.min(Math.max(seconds, 1), MAX_PRESIGN_SECONDS);
}

/** One URI form: how to write a target, and what the notification calls it. */
interface IForm {
  id: string;
  label: string;
  caption: string;
  icon: typeof copyIcon;
  /** "3 S3 URIs", for the notification. */
  what(n: number): string;
  /** Needs `whoami` (the user id, the buckets). */
  needsContext: boolean;
  write(target: ITarget, ctx: EosContext | null): string;
  /** The text of several written targets: one a line unless said. */
  join?(written: string[]): string;
}

function forms(trans: TranslationBundle): IForm[] {
  const path = (t: ITarget) => pathOf(t.uri)!;
  return [
    {
      id: CommandIDs.copyUri,
      label: trans.__('Copy EOS URI'),
      caption: trans.__('Copy the e:// URIs of the selected EOS items, one per line'),
      icon: copyIcon,
      what: n => trans._n('%1 EOS URI', '%1 EOS URIs', n),
      needsContext: false,
      write: t => t.uri
    },
    {
      id: CommandIDs.copyShareableUri,
      label: trans.__('Copy Shareable URI'),
      caption: trans.__('Copy e:// URIs that work for anyone in your organization (your user id instead of "me")'),
      icon: shareIcon,
      what: n => trans._n('%1 shareable URI', '%1 shareable URIs', n),
      needsContext: true,
      write: (t, ctx) => shareableUri(path(t), ctx!)
    },
    {
      id: CommandIDs.copyS3Uri,
      label: trans.__('Copy S3 URI'),
      caption: trans.__('Copy the s3:// URIs of the selected EOS items, one per line'),
      icon: copyIcon,
      what: n => trans._n('%1 S3 URI', '%1 S3 URIs', n),
      needsContext: true,
      write: (t, ctx) => s3Uri(path(t), ctx!)
    },
    {
      id: CommandIDs.copyPython,
      label: trans.__('Copy Python Snippet'),
      caption: trans.__(
        'Copy File(path_e="…") of the selected EOS items for the Gencove Explorer SDK (a list of them for several)'
      ),
      icon: pythonIcon,
      what: n => trans._n('%1 Python snippet', '%1 Python snippets', n),
      needsContext: true,
      write: (t, ctx) => shareableUri(path(t), ctx!),
      join: pythonSnippets
    }
  ];
}

/** Register the copy commands. */
export function addCopyCommands(commands: CommandRegistry, context: ICommandContext): IDisposable[] {
  const { model, trans } = context;
  const disposables = forms(trans).map(form =>
    commands.addCommand(form.id, {
      label: paletteLabel(trans, form.label),
      caption: form.caption,
      icon: form.icon,
      describedBy: uriArgs(trans.__('The e:// URIs to copy; the selection by default')),
      isEnabled: args => targetsOf(model, args).length > 0 && (!form.needsContext || model.context !== null),
      execute: async args => {
        const targets = targetsOf(model, args);
        if (targets.length === 0 || (form.needsContext && model.context === null)) {
          return;
        }
        let lines: string[];
        try {
          lines = targets.map(t => form.write(t, model.context));
        } catch (reason) {
          notifyError(reason, trans, trans.__('Cannot copy'));
          return;
        }
        const text = form.join ? form.join(lines) : lines.join('\n');
        await copyText(text);
        const message =
          lines.length === 1 ? trans.__('Copied %1', text) : trans.__('Copied %1', form.what(lines.length));
        Notification.success(message, { autoClose: 3000 });
      }
    })
  );
  disposables.push(addPresignCommand(commands, context));
  return disposables;
}

/** What the notification of a copied presigned URL says: its real expiry, and who can read it. */
export function presignMessage(answers: PresignResponse[], trans: TranslationBundle): string {
  const first = answers.reduce((a, b) => (Date.parse(b.expiresAt) < Date.parse(a.expiresAt) ? b : a));
  const until = formatDate(first.expiresAt);
  const lasting = formatDuration(first.expiresIn, trans);
  const why =
    first.limitedBy === 'credentials'
      ? trans.__('%1; shorter: your credentials expire sooner', lasting)
      : first.limitedBy === 'maximum'
        ? trans.__('%1, the 7-day maximum', lasting)
        : lasting;
  return answers.length === 1
    ? trans.__('Presigned URL copied. Anyone with it can read the object until %1 (%2).', until, why)
    : trans.__(
        '%1 presigned URLs copied. Anyone with them can read the objects until %2 (%3).',
        answers.length,
        until,
        why
      );
}

/**
 * Presign each target with the settings' lifetime (`download`: as an
 * attachment); null when there is none or it failed (the failure shown, headed `what`).
 */
export async function presignTargets(
  context: ICommandContext,
  targets: ITarget[],
  download: boolean,
  what: string
): Promise<PresignResponse[] | null> {
  if (targets.length === 0) {
    return null;
  }
  const expiresIn = presignSeconds(context.settings.values.presignExpiryHours);
  try {
    return await Promise.all(
      targets.map(t =>
        context.request(Routes.presign, {
          body: download ? { uri: t.uri, expiresIn, download } : { uri: t.uri, expiresIn }
        })
      )
    );
  } catch (reason) {
    notifyError(reason, context.trans, what);
    return null;
  }
}

function addPresignCommand(commands: CommandRegistry, context: ICommandContext): IDisposable {
  const { model, trans } = context;
  return commands.addCommand(CommandIDs.copyPresignedUrl, {
    label: paletteLabel(trans, trans.__('Copy Presigned URL')),
    caption: trans.__(
      'Copy a temporary https:// link to the selected objects: anyone with it can read the object until it expires'
    ),
    icon: linkIcon,
    describedBy: uriArgs(trans.__('The e:// URIs of the objects; the selection by default')),
    isEnabled: args => {
      const targets = targetsOf(model, args);
      return targets.length > 0 && targets.every(t => t.kind === 'object');
    },
    execute: async args => {
      const targets = targetsOf(model, args);
      const folder = targets.find(t => t.kind === 'folder');
      if (folder) {
        Notification.warning(
          trans.__('%1 is a folder: presigned URLs are for objects only. Select files instead.', folder.uri),
          { autoClose: 5000 }
        );
        return;
      }
      const answers = await presignTargets(context, targets, false, trans.__('Cannot create a presigned URL'));
      if (!answers) {
        return;
      }
      await copyText(answers.map(a => a.url).join('\n'));
      const details = () =>
        answers
          .map((a, i) => trans.__('%1\nexpires %2 (%3)', targets[i].uri, formatDate(a.expiresAt), a.limitedBy))
          .join('\n\n');
      Notification.success(presignMessage(answers, trans), {
        autoClose: 10000,
        actions: [detailsAction(trans.__('Presigned URLs'), details, trans)]
      });
    }
  });
}
