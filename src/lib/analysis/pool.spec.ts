import { describe, expect, it } from 'vitest';
import { analysisWorkerEntry, createWorkerPool, type Analysis, type AnalysisJob } from './index';
import { analyze } from './index';

describe('worker pool', () => {
	it('analyses in worker threads exactly as in the main thread, reusing the context by id', async () => {
		const pool = createWorkerPool<AnalysisJob, Analysis[]>({ entry: analysisWorkerEntry, size: 2 });
		try {
			const context = { touchpoints: [{ id: 't', title: 'Baggage claim', stage: 'after-sale' as const }] };
			const items = [
				{ text: 'My bag was lost at baggage claim yesterday', receivedAt: '2024-03-14T10:00:00Z' },
				{ text: 'Vol annulé mardi dernier, personne ne répond', receivedAt: '2024-03-14T10:00:00Z' }
			];
			const first = await pool.run({ contextId: 'w1', context, items });
			const again = await Promise.all([
				pool.run({ contextId: 'w1', items }),
				pool.run({ contextId: 'w1', context, items })
			]);
			expect(first).toEqual(items.map((it) => analyze(it.text, { ...context, receivedAt: it.receivedAt })));
			expect(first[0].touchpoint.best?.id).toBe('t');
			expect(again[1]).toEqual(first);
			await expect(pool.run({ contextId: 'never-sent', items })).rejects.toThrow(/unknown analysis context/);
		} finally {
			await pool.close();
		}
	});
});
