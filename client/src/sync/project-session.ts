// The sync layer's public surface (see notes/client-api.md): screens import from here only.
export { ProjectSession, TAB_ID, type ProjectSessionView } from './project-doc-session.ts';
export { openProjectSession, releaseProjectSession, useProjectSession, closeAllSessions, openSessions } from './session-registry.ts';
export { useSyncStatus } from './sync-status-store.ts';
export { useDocMapsValue, useDocValue } from './use-doc-value.ts';
export { useChangedByOthers } from './changed-by-others.ts';
export { usePresence, type PresenceEntry } from './presence.ts';
export type { SyncState, SyncStatus } from './connection-status.ts';
