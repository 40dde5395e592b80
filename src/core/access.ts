/**
 * Who may write where. Production enforces this with IAM; the service also
 * refuses writes itself before any S3 call, and the UI greys out what it
 * would refuse.
 */
import { EosError } from './errors';
import { EosContext } from './mapping';
import { EosPath, ME, formatEosUri } from './uri';

export type Access = 'read' | 'readwrite';

/** The access the user has at `path`. */
export function accessOf(path: EosPath, ctx: EosContext): Access {
  switch (path.namespace) {
    case 'org':
      return 'readwrite';
    case 'users':
      return path.user === ME || (path.user !== null && path.user === ctx.userId) ? 'readwrite' : 'read';
    default:
      // e://, e://users/, e://gencove and S3 locations outside EOS are read-only.
      return 'read';
  }
}

/** Whether the user may create, change or delete objects at `path`. */
export function canWrite(path: EosPath, ctx: EosContext): boolean {
  // accessOf already answers 'read' for e:// and e://users/.
  return accessOf(path, ctx) === 'readwrite';
}

/**
 * Throw `ReadOnly` unless the user may write at `path`.
 *
 * @throws EosError `ReadOnly` with the reason in the message.
 */
export function assertWritable(path: EosPath, ctx: EosContext): void {
  if (canWrite(path, ctx)) {
    return;
  }
  const uri = formatEosUri(path);
  let why: string;
  if (path.namespace === 'gencove') {
    why = 'e://gencove/ is read-only';
  } else if (path.namespace === 's3') {
    why = 'S3 locations outside EOS are read-only; write to e://users/me/ or e://org/';
  } else if (path.namespace === 'users' && path.user !== null) {
    why = `e://users/${path.user}/ belongs to another user and is read-only for you; write to e://users/me/ or e://org/`;
  } else {
    why = 'only files inside a namespace can be written';
  }
  throw new EosError('ReadOnly', `Cannot write to ${uri}: ${why}`);
}
