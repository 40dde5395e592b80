/**
 * Moving data between the server's disk and EOS (the doors: the transfer
 * commands here, drops in dnd/). Each file holds one part: the context,
 * destinations, the sync preview, the workflows and the commands.
 */
export type { ILocalBrowser, ILocalItem, ITransferContext } from './context';
export {
  LAST_FOLDER_KEY,
  askEosFolder,
  lastFolder,
  localFolderProblem,
  localLabel,
  parseEosFolder,
  rememberFolder
} from './destination';
export { PREVIEW_ENTRIES, SyncPreview } from './preview';
export { moveInEos, sync, transfer } from './workflows';
export { TRANSFER_PALETTE_COMMANDS, addTransferCommands } from './commands';
