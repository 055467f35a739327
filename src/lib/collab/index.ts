/** Browser side of collaboration: session (provider, offline copy, undo), presence, canvas layout. */
export { JourneySession, collabUrl, type ConnectionStatus, type SessionOptions } from './session.svelte';
export {
	Presence,
	uniqueUsers,
	CURSOR_HZ,
	type Peer,
	type PresenceState,
	type PresenceUser
} from './presence.svelte';
export * from './layout';
export * from './clipboard';
export { colorFor, initials } from './colors';
export { throttled, type Throttled } from './throttle';
