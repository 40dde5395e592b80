/**
 * What every EOS command shares: the items it acts on, the service, the
 * clipboard.
 */
import { Clipboard } from '@jupyterlab/apputils';
import { ServerConnection } from '@jupyterlab/services';
import { TranslationBundle } from '@jupyterlab/translation';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import {
  Access,
  EntryKind,
  EosContext,
  EosPath,
  RouteName,
  RouteResponse,
  basename,
  canWrite,
  formatEosUri,
  isFolder,
  parent,
  parseUri
} from '../../core';
import type { IEosBrowserModel } from '../tokens';
import { IRequestOptions, requestAPI } from '../request';
import { EosSettings } from '../settings';
import type { TransfersModel } from '../transfers/model';

/** What the commands work with. */
export interface ICommandContext {
  model: IEosBrowserModel;
  settings: EosSettings;
  trans: TranslationBundle;
  /** Call a service route with the app's server settings. */
  request<R extends RouteName>(route: R, options: IRequestOptions<R>): Promise<RouteResponse<R>>;
  /**
   * The service's jobs as its event stream reports them (the Transfers
   * panel's model): a command follows its job there, so its notification and
   * the panel show the same figures. Without it, commands long-poll `api/job`.
   */
  jobs?: IJobs;
}

/** What following a job needs of the jobs model. */
export type IJobs = Pick<TransfersModel, 'connected' | 'job' | 'changed' | 'track' | 'trackStarted'>;

/** Build the shared context of the commands. */
export function makeContext(
  model: IEosBrowserModel,
  settings: EosSettings,
  trans: TranslationBundle,
  serverSettings: ServerConnection.ISettings = ServerConnection.makeSettings(),
  jobs?: IJobs
): ICommandContext {
  return {
    model,
    settings,
    trans,
    request: (route, options) => requestAPI(route, options, serverSettings),
    jobs
  };
}

/** One item a command acts on: a tree node, or a URI passed as an argument. */
export interface ITarget {
  /** The canonical `e://` URI (folders end with `/`). */
  uri: string;
  kind: EntryKind;
  access: Access;
  /** The folder holding it; null for `e://`. */
  parent: string | null;
  /** A namespace root (`e://org/`, `e://users/`, `e://users/<id>/`...): never renamed or deleted. */
  isRoot: boolean;
  /** The last path segment ('' for a root). */
  name: string;
}

/** The parsed path of a URI, or null when it does not parse. */
export function pathOf(uri: string): EosPath | null {
  try {
    return parseUri(uri);
  } catch {
    return null;
  }
}

/** The target for a URI that may not be in the tree. */
function targetOfUri(uri: string, ctx: EosContext | null): ITarget | null {
  const path = pathOf(uri);
  if (!path) {
    return null;
  }
  const up = parent(path);
  return {
    uri,
    kind: isFolder(path) ? 'folder' : 'object',
    access: ctx && canWrite(path, ctx) ? 'readwrite' : 'read',
    parent: up ? formatEosUri(up) : null,
    isRoot: path.key === '',
    name: path.key === '' ? '' : basename(path)
  };
}

/**
 * The items a command acts on: its `uri` argument if given (a node of the
 * tree or any URI), else the model's selection in tree order.
 */
export function targetsOf(model: IEosBrowserModel, args: ReadonlyPartialJSONObject): ITarget[] {
  const uris =
    typeof args.uri === 'string'
      ? [args.uri]
      : Array.isArray(args.uris)
        ? args.uris.filter((u): u is string => typeof u === 'string')
        : null;
  if (uris === null) {
    return model.selection.map(node => {
      const fromUri = targetOfUri(node.uri, model.context);
      return {
        uri: node.uri,
        kind: node.kind,
        access: node.access,
        parent: node.parent ?? fromUri?.parent ?? null,
        isRoot: node.level === 1 || (fromUri?.isRoot ?? false),
        name: node.level === 1 ? '' : node.name
      };
    });
  }
  return uris
    .map(uri => {
      const node = model.node(uri);
      const fromUri = targetOfUri(uri, model.context);
      if (!node || !fromUri) {
        return fromUri;
      }
      return { ...fromUri, kind: node.kind, access: node.access, isRoot: node.level === 1 || fromUri.isRoot };
    })
    .filter((t): t is ITarget => t !== null);
}

/** Whether the user may write at the target (the node says so, and the mapping agrees). */
export function isWritable(target: ITarget, ctx: EosContext | null): boolean {
  const path = pathOf(target.uri);
  return target.access === 'readwrite' && (ctx === null || (path !== null && canWrite(path, ctx)));
}

/** The folder a target is or is in. */
export function folderOf(target: ITarget): string | null {
  return target.kind === 'folder' ? target.uri : target.parent;
}

/**
 * A command's label: `label` in menus, "EOS: label" in the command palette,
 * where EOS commands sit among every other (the palette's items pass
 * `isPalette`, as JupyterLab's own do; see `PALETTE_ARGS`).
 */
export function paletteLabel(trans: TranslationBundle, label: string): (args: ReadonlyPartialJSONObject) => string {
  const long = trans.__('EOS: %1', label);
  return args => (args.isPalette === true ? long : label);
}

/** The arguments of the EOS commands' palette items. */
export const PALETTE_ARGS = { isPalette: true };

/** The schema of the commands' arguments: an optional `uri` or `uris`. */
export function uriArgs(description: string) {
  return {
    args: {
      type: 'object' as const,
      properties: {
        uri: { type: 'string' as const, description },
        uris: { type: 'array' as const, items: { type: 'string' as const }, description }
      }
    }
  };
}

/** Copy text to the system clipboard, falling back when the async API is unavailable or refused. */
export async function copyText(text: string): Promise<void> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return;
    }
  } catch {
    // Not a secure context, or permission denied: use the copy event below.
  }
  Clipboard.copyToSystem(text);
}
