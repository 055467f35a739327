/** Errors thrown by journey operations. `field` names what was wrong so a form can point at it. */
export type JourneyErrorCode = 'invalid' | 'not_found' | 'conflict';

export class JourneyError extends Error {
	override name = 'JourneyError';
	constructor(
		readonly code: JourneyErrorCode,
		/** The input field at fault, e.g. `emotion`, `pains[2]`, `stageId`. */
		readonly field: string,
		message: string
	) {
		super(`${field}: ${message}`);
	}
}

export interface ImportIssue {
	/** Path inside the imported file, e.g. `journey.stages[2].touchpoints[0].emotion`. */
	path: string;
	message: string;
}

/** A journey file that cannot be imported. Nothing was changed. */
export class JourneyImportError extends Error {
	override name = 'JourneyImportError';
	constructor(readonly issues: ImportIssue[]) {
		super(
			`Invalid journey file: ${issues
				.slice(0, 5)
				.map((i) => `${i.path || '(root)'}: ${i.message}`)
				.join('; ')}${issues.length > 5 ? ` (+${issues.length - 5} more)` : ''}`
		);
	}
}
