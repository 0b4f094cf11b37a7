/** The extension-side check every write path makes before it even asks the user. */
import { CacheLensError } from '../../core/errors';
import type { ConnectionProfile } from './profile';

export function assertWritable(profile: ConnectionProfile, action: string): void {
  if (profile.readOnly) {
    throw new CacheLensError('readonly', `"${profile.name}" is read-only: ${action} refused. Turn read-only off with "CacheLens: Toggle Read-Only".`);
  }
}
