/**
 * Tokens and command ids other plugins can rely on.
 */
import { Token } from '@lumino/coreutils';
import type { ISignal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';

import type { EosContext, EosError, Job, WhoAmIResponse } from '../core';
import type { EosSettings } from './settings';
import type { ILocalFile } from './transfers/computer';
import type { TransfersModel } from './transfers/model';
import type { IEosNode } from './tree';

/**
 * What other plugins may use of the EOS tree: who the user is, the loaded
 * nodes, the selection, refreshing and revealing, and what changed.
 */
export interface IEosBrowserModel {
  /** The service's `whoami` answer; null until `initialize()` succeeds. */
  readonly whoami: WhoAmIResponse | null;
  /** Who the user is and where their buckets are (for URI forms); null before `whoami`. */
  readonly context: EosContext | null;
  /** Why `whoami` failed; null otherwise. */
  readonly error: EosError | null;
  /** The root nodes (My files, Organization, Gencove, Users); none before `whoami`. */
  readonly roots: readonly IEosNode[];
  /** The node at `uri`, if it is in the tree. */
  node(uri: string): IEosNode | undefined;
  /** A folder's loaded children in display order (the roots for null); null until listed. */
  children(uri: string | null): readonly string[] | null;
  /** The selected nodes in tree order; empty when nothing is selected. */
  readonly selection: readonly IEosNode[];
  /** The focused node, or null. */
  readonly selected: IEosNode | null;
  /** Whether the item at `uri` is selected. */
  isSelected(uri: string): boolean;
  /** Select only the node at `uri` (null clears the selection). */
  select(uri: string | null): void;
  /** Fetch `whoami` and list the expanded roots (again after a failure). */
  initialize(): Promise<void>;
  /** Expand a folder, listing it unless it is listed. */
  expand(uri: string): Promise<void>;
  /** List a folder again (an object's parent for an object); without `uri`, every expanded folder. */
  refresh(uri?: string, deep?: boolean): Promise<void>;
  /** Expand the ancestors of an `e://` URI, select it and scroll to it. */
  reveal(uri: string): Promise<void>;
  /** `whoami` started, succeeded or failed. */
  readonly sessionChanged: ISignal<IEosBrowserModel, void>;
  /** The node at the URI changed (expanded, loading, listing, access, error). */
  readonly nodeChanged: ISignal<IEosBrowserModel, string>;
  /** The selection or its focused item (the URI, or null) changed. */
  readonly selectionChanged: ISignal<IEosBrowserModel, string | null>;
  /** After any change of what the tree shows. */
  readonly displayChanged: ISignal<IEosBrowserModel, void>;
}

/** The EOS sidebar browser. */
export interface IEosBrowser {
  /** The tree state: roots, loaded folders, selection. */
  readonly model: IEosBrowserModel;
  /** The sidebar panel (activate it with `app.shell.activateById(panel.id)`). */
  readonly panel: Widget;
  /** The user's EOS settings, live from the Settings Editor. */
  readonly settings: EosSettings;
  /** The service's jobs, pushed by its event stream (the Transfers panel shows the same model). */
  readonly jobs: TransfersModel;
}

/** The EOS browser token. */
export const IEosBrowser = new Token<IEosBrowser>(
  'jupyterlab-eos:IEosBrowser',
  'The EOS sidebar browser: its tree model (loaded folders, selection) and its panel, for plugins that add commands acting on EOS items.'
);

/** A file dropped or picked from the user's computer, with its path inside what was dropped (`dir/a.bam`). */
export interface IComputerFile {
  file: File;
  relativePath: string;
}

/**
 * What drops from the user's computer onto the EOS tree need from the
 * transfers panel (`ITransfers`): reading a desktop drop (folders too) and
 * uploading it, and showing the jobs drops and menus start.
 */
export interface IEosDropActions {
  /** The files of a desktop drop; must be called while the drop event is dispatched. */
  filesFromDataTransfer(dataTransfer: DataTransfer): Promise<IComputerFile[]>;
  /** Upload the files into the `e://` folder; null when nothing was started (cancelled or refused, and said so). */
  uploadFromComputer(files: IComputerFile[], folder: string): Promise<Job | null>;
  /** Show a job started by a drop or a menu command in the transfers panel. */
  showJob?(job: Job): void;
  /** Bring the transfers panel into view (where a job's conflict questions are answered). */
  showPanel?(): void;
}

/** The transfers panel and its jobs, for plugins that start or show transfers (drag and drop, menus). */
export interface ITransfers {
  /** The service's jobs, pushed; `track(job)` shows a job started by this page at once. */
  readonly model: TransfersModel;
  /** The Transfers sidebar panel. */
  readonly panel: Widget;
  /** Bring the Transfers panel into view (put back into the sidebar first if it was taken out). */
  show(): void;
  /**
   * Upload files from the user's computer into an `e://` folder (ending in `/`),
   * asking first when targets exist; null when nothing was started.
   */
  uploadFromComputer(files: ILocalFile[], folder: string): Promise<Job | null>;
}

/** The transfers token. */
export const ITransfers = new Token<ITransfers>(
  'jupyterlab-eos:ITransfers',
  'The EOS transfers: the jobs model, the Transfers panel, and uploads from the computer, for plugins that start or show transfers.'
);

/** The ids of the extension's commands (`eos:verb-noun`). */
export namespace CommandIDs {
  /** Copy the selected items' `e://` URIs, one per line. */
  export const copyUri = 'eos:copy-uri';
  /** Copy the shareable URIs (`me` replaced by the user id). */
  export const copyShareableUri = 'eos:copy-shareable-uri';
  /** Copy the `s3://` URIs. */
  export const copyS3Uri = 'eos:copy-s3-uri';
  /** Copy `File(path_e="...")` snippets (shareable form). */
  export const copyPython = 'eos:copy-python-snippet';
  /** Copy a presigned URL of the selected object. */
  export const copyPresignedUrl = 'eos:copy-presigned-url';
  /** Create a folder in the selected folder (or the selected object's folder). */
  export const newFolder = 'eos:new-folder';
  /** Import files from http(s) URLs into the selected folder (the service streams them). */
  export const importUrl = 'eos:import-url';
  /** Rename or move the selected item (server-side). */
  export const rename = 'eos:rename';
  /** Delete the selected items after counting and confirming. */
  export const deleteItems = 'eos:delete';
  /** Show the selected item's properties. */
  export const properties = 'eos:properties';
  /** List the selected item's folder again (a row's Refresh). */
  export const refresh = 'eos:refresh';
  /** List every expanded folder again (the header's Refresh). */
  export const refreshAll = 'eos:refresh-all';
  /** Focus the path bar to type an `e://` or `s3://` location. */
  export const goTo = 'eos:go-to';
  /** Upload the file browser's selected items to an EOS folder (a destination dialog). */
  export const uploadToEos = 'eos:upload-to-eos';
  /** Sync a file browser folder to an EOS folder (destination dialog, then a preview). */
  export const syncToEos = 'eos:sync-to-eos';
  /** Download the selected EOS items into the file browser's current folder. */
  export const downloadHere = 'eos:download-here';
  /** Sync the selected EOS folder to a local folder (destination dialog, then a preview). */
  export const syncToLocal = 'eos:sync-to-local';
  /** Sync the selected EOS folder to another EOS folder (destination dialog, then a preview; copies server-side). */
  export const syncToEosFolder = 'eos:sync-to-eos-folder';
  /** Download the selected objects to the user's computer (a presigned URL). */
  export const downloadToComputer = 'eos:download-to-computer';
  /** Upload files from the computer into the selected EOS folder. */
  export const uploadFiles = 'eos:upload-files';
  /** Upload a folder from the computer into the selected EOS folder. */
  export const uploadFolder = 'eos:upload-folder';
  /** Bring the EOS panel into view. */
  export const showBrowser = 'eos:show-browser';
  /** Open the Transfers panel (put back into the right sidebar if it was taken out). */
  export const showTransfers = 'eos:show-transfers';
  /** Remove finished transfers from the list. */
  export const clearTransfers = 'eos:clear-transfers';
  // Opening files and peeking (issue 8)
  /** Open the selected objects with their default viewers (through the EOS drive). */
  export const open = 'eos:open';
  /** Open the selected object with the widget factory named by the `factory` argument. */
  export const openWith = 'eos:open-with';
  /** Show the first records of the selected object without downloading it. */
  export const peek = 'eos:peek';
  /** Create an untitled text file in the selected folder and open it. */
  export const newFile = 'eos:new-file';
  /** Create an untitled notebook in the selected folder and open it. */
  export const newNotebook = 'eos:new-notebook';
  // Disk gauge (issue 7)
  /** Open the free-up-space view: the largest local items, to move to EOS or delete. */
  export const freeUpSpace = 'eos:free-up-space';
  // S3 locations outside EOS (issue 17)
  /** Ask for an `s3://bucket/prefix/` and add it as a read-only root (kept in the settings). */
  export const addS3Location = 'eos:add-s3-location';
  /** Remove the selected S3 location root (from the settings). */
  export const removeS3Location = 'eos:remove-s3-location';
}
