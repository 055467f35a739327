import { expect, test, type Page } from '@playwright/test';
import { createWorkspace, signIn, signUp, uniqueEmail } from './helpers';

/**
 * Issue 5's whole loop in one story, in real Chromium against the built app: a CSV export is imported
 * with its progress shown, its items appear in the inbox with their highlights, a correction in the inbox
 * moves the touchpoint's live score on the map open in a second browser, and an item posted through the
 * API moves it again there — no reload anywhere.
 */

const SHOTS = process.env.E2E_OUTPUT_DIR || 'tests/.artifacts/playwright';

const LINES = [
	'My luggage was lost at baggage claim and nobody at the desk could tell me anything.',
	'Mes bagages ont été perdus à l’arrivée, personne ne répond au service bagages.',
	'Baggage claim took an hour and my suitcase arrived damaged.',
	'The crew was lovely and the meal on board was delicious.',
	'Online check-in crashed twice before I could get my boarding pass.',
	'Le personnel à l’embarquement était charmant, merci !'
];

function csv(): Buffer {
	const rows = ['id,date,comment'];
	for (let i = 0; i < 30; i++) {
		const day = String((i % 20) + 1).padStart(2, '0');
		rows.push(`flow-${i},2026-10-${day}T10:00:00Z,"${LINES[i % LINES.length]} (${i})"`);
	}
	return Buffer.from(rows.join('\n'), 'utf8');
}

const card = (page: Page, id: string) => page.locator(`[data-testid="touchpoint-card"][data-id="${id}"]`);

test('import, inbox highlights, a correction and an API item move the live score on an open map', async ({
	page,
	browser
}) => {
	const email = uniqueEmail('flow');
	await signUp(page, 'Flo Flow', email);
	const workspaceId = await createWorkspace(page, 'Flow');
	await page.goto(`/w/${workspaceId}/settings`);
	await page.getByLabel('Key name').fill('Flow');
	await page.getByRole('button', { name: 'Create API key' }).click();
	const key = (await page.getByTestId('api-key').locator('code').innerText()).trim();
	await page.goto(`/w/${workspaceId}/journeys`);
	await page.getByLabel('Journey title').fill('Flying');
	await page.locator('select[name="template"]').selectOption('airline');
	await page.getByRole('button', { name: 'Create', exact: true }).click();
	await expect(page).toHaveURL(/\/journeys\/[0-9a-f-]{36}$/);
	const journeyId = /journeys\/([0-9a-f-]{36})$/.exec(page.url())![1];

	await test.step('import a CSV and watch the progress to the end', async () => {
		await page.goto(`/w/${workspaceId}/feedback/import`);
		await page
			.getByLabel('CSV file')
			.setInputFiles({ name: 'flow.csv', mimeType: 'text/csv', buffer: csv() });
		await expect(page.getByTestId('preview')).toContainText('My luggage was lost');
		await page.locator('select[name="journeyId"]').selectOption(journeyId);
		await page.getByRole('button', { name: 'Import' }).click();
		await expect(page.getByTestId('import-progress')).toBeVisible();
		await expect(page.getByTestId('import-done')).toBeVisible({ timeout: 60_000 });
		await expect(page.getByTestId('inserted')).toHaveText('30');
		await expect(page.getByTestId('analysed')).toHaveText('30 / 30', { timeout: 60_000 });
	});

	let itemId = '';
	let touchpointId = '';
	await test.step('the items are in the inbox with their highlights', async () => {
		await page.getByTestId('see-feedback').click();
		await expect(page.getByTestId('results-count')).toContainText('30 items');
		const row = page
			.getByTestId('inbox-item')
			.filter({ hasText: 'My luggage was lost at baggage claim' })
			.first();
		await expect(row.locator('mark.hl').first()).toBeVisible();
		await expect(row.getByTestId('item-polarity')).toContainText('Negative');
		itemId = (await row.getAttribute('data-id'))!;
		const item = await page.request.get(`/api/v1/feedback/${itemId}`, {
			headers: { authorization: `Bearer ${key}` }
		});
		touchpointId = ((await item.json()) as { touchpoint_id: string }).touchpoint_id;
		expect(touchpointId).toBeTruthy();
		await page.screenshot({ path: `${SHOTS}/feedback-flow-inbox.png`, fullPage: true });
	});

	// The map, open in a second browser of the same user.
	const other = await browser.newContext({ viewport: { width: 1600, height: 900 } });
	const map = await other.newPage();
	await signIn(map, email);
	await map.waitForURL((u) => !u.pathname.startsWith('/signin'));
	await map.goto(`/w/${workspaceId}/journeys/${journeyId}`);
	await expect(map.getByTestId('live-status')).toHaveAttribute('data-status', 'live', { timeout: 15_000 });
	const live = card(map, touchpointId).getByTestId('card-live-score');
	await expect(live).not.toHaveAttribute('data-volume', '0');
	const before = Number(await live.getAttribute('data-score'));
	const volume = Number(await live.getAttribute('data-volume'));

	await test.step('a correction in the inbox moves the score on the open map', async () => {
		const row = page.locator(`[data-testid="inbox-item"][data-id="${itemId}"]`);
		await row.getByRole('button', { name: 'Set polarity to Positive' }).click();
		await expect(row.getByTestId('item-polarity')).toContainText('Positive');
		await expect
			.poll(async () => Number(await live.getAttribute('data-score')), { timeout: 5000 })
			.toBeGreaterThan(before);
		await expect(live).toHaveAttribute('data-volume', String(volume));
	});

	await test.step('an item posted through the API moves it again, without reload', async () => {
		const res = await map.request.post('/api/v1/feedback', {
			headers: { authorization: `Bearer ${key}` },
			data: {
				text: 'Lost my bag again, third time this year. Unacceptable.',
				channel: 'social',
				received_at: new Date().toISOString(),
				journey_id: journeyId,
				touchpoint_id: touchpointId
			}
		});
		expect(res.status()).toBe(201);
		await expect(live).toHaveAttribute('data-volume', String(volume + 1), { timeout: 5000 });
		await map.screenshot({ path: `${SHOTS}/feedback-flow-map.png` });
	});
	await other.close();
});
