export { CollabServer, type CollabStats } from './server';
export {
	createCollabUpgradeHandler,
	adaptWebSocket,
	type Authenticate,
	type AuthResult,
	type CollabUpgradeHandler,
	type CollabUpgradeOptions
} from './ws';
export {
	CloseCode,
	consoleLogger,
	silentLogger,
	type AccessContext,
	type CollabFanout,
	type CollabLogger,
	type CollabOptions,
	type CollabPersistence,
	type CollabSocket,
	type ConnectionContext
} from './types';
