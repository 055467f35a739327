import { describe, expect, it } from 'vitest';
import { readConfig } from './config';

describe('readConfig', () => {
	it('reads the abandonment delays of imports and feedback claims, in seconds', () => {
		expect(readConfig({})).toMatchObject({ importStaleSeconds: 120, feedbackClaimSeconds: 60 });
		expect(readConfig({ IMPORT_STALE_SECONDS: '20', FEEDBACK_CLAIM_TIMEOUT_SECONDS: '15' })).toMatchObject({
			importStaleSeconds: 20,
			feedbackClaimSeconds: 15
		});
	});

	it('refuses a delay too short for a live instance to prove itself alive, or over a day, naming the setting', () => {
		expect(() => readConfig({ IMPORT_STALE_SECONDS: '0' })).toThrow(
			'IMPORT_STALE_SECONDS must be between 15 and 86400 (seconds), got "0"'
		);
		expect(() => readConfig({ FEEDBACK_CLAIM_TIMEOUT_SECONDS: '14' })).toThrow(
			'FEEDBACK_CLAIM_TIMEOUT_SECONDS must be between 15 and 86400'
		);
		expect(() => readConfig({ FEEDBACK_CLAIM_TIMEOUT_SECONDS: '86401' })).toThrow(
			'FEEDBACK_CLAIM_TIMEOUT_SECONDS must be between 15 and 86400'
		);
		expect(readConfig({ IMPORT_STALE_SECONDS: '15' }).importStaleSeconds).toBe(15);
		expect(() => readConfig({ IMPORT_STALE_SECONDS: 'soon' })).toThrow(
			'IMPORT_STALE_SECONDS must be a non-negative integer, got "soon"'
		);
	});

	it('caps editor sockets per user, at least one', () => {
		expect(readConfig({}).collabMaxConnectionsPerUser).toBe(100);
		expect(readConfig({ COLLAB_MAX_CONNECTIONS_PER_USER: '8' }).collabMaxConnectionsPerUser).toBe(8);
		expect(() => readConfig({ COLLAB_MAX_CONNECTIONS_PER_USER: '0' })).toThrow(
			'COLLAB_MAX_CONNECTIONS_PER_USER must be at least 1, got "0"'
		);
	});
});
