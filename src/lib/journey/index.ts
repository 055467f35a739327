/**
 * The journey model: a customer journey stored in a Y.Doc, shared by the browser and the server.
 * Pure TypeScript: no framework, no server imports.
 */
export * from './types';
export { JourneyError, JourneyImportError, type ImportIssue, type JourneyErrorCode } from './errors';
export {
	JourneyDocument,
	openJourney,
	newId,
	ROOT,
	type JourneyChange,
	type JourneyListener,
	type JourneyDocumentOptions
} from './document';
export { orderBetween, orderKeys, compareOrder } from './order';
export {
	CURRENT_SCHEMA_VERSION,
	JOURNEY_MIGRATIONS,
	migrateJourneyDoc,
	migrateJourneyFile,
	migrateJourneyState,
	type JourneyMigration,
	type MigrationResult
} from './schema-version';
export {
	JOURNEY_FILE_FORMAT,
	parseJourneyFile,
	importJourney,
	exportJourney,
	createJourneyDoc,
	type JourneyFile,
	type JourneyFileInput,
	type ParsedJourney
} from './io';
export {
	TEMPLATES,
	templateFile,
	createJourneyFromTemplate,
	type TemplateId,
	type TemplateInfo
} from './templates';
export { LIMITS } from './validation';
