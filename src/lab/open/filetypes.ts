/**
 * The genomics file types (core's `GENOMICS_TYPES`) in JupyterLab's document
 * registry: JupyterLab's own file browser then draws their icons, and other
 * extensions can find them by name.
 */
import { DocumentRegistry } from '@jupyterlab/docregistry';

import { GENOMICS_TYPES, dottedExtensions } from '../../core';
import { genomicsIcon } from '../icons';

/**
 * Register every genomics type (name, extensions with their `.gz`/`.bgz`
 * forms, MIME type, icon). How a file is read stays JupyterLab's default, as
 * for a type it does not know.
 */
export function registerGenomicsTypes(registry: DocumentRegistry): void {
  for (const type of GENOMICS_TYPES) {
    registry.addFileType({
      name: type.name,
      displayName: type.displayName,
      extensions: dottedExtensions(type),
      mimeTypes: [type.mimeType],
      icon: genomicsIcon(type)
    });
  }
}
