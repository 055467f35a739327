import { expect, test } from '@playwright/test';
import { createApiKey, createWorkspace, postFeedback as post, signUp, uniqueEmail } from './helpers';

/**
 * The inbox in real Chromium against the built app: items posted through the API are analysed by the
 * app's processor and appear with their highlights; facets and search filter them through the URL;
 * an editor corrects a polarity in one click and the touchpoint's live score moves.
 */

const ARTIFACTS = 'tests/.artifacts';

const ITEMS = [
	{
		text: 'My luggage was lost at the baggage claim and nobody at the desk could help. Terrible.',
		channel: 'email'
	},
	{ text: 'Ma valise est arrivée cassée à Lyon et personne ne répond au service client.', channel: 'chat' },
	{ text: 'Great seat, friendly crew and the meal on board was delicious.', channel: 'review' },
	{
		text: 'The flight was delayed by four hours last Tuesday and we were never told why.',
		channel: 'social'
	},
	{ text: 'Le personnel à l’embarquement était charmant, merci !', channel: 'survey' }
];

test('items appear with highlights; facets and search filter through the URL; a one-click correction moves the live score', async ({
	page,
	request
}) => {
	test.setTimeout(120_000);
	await page.setViewportSize({ width: 1400, height: 1000 });
	await signUp(page, 'Ines Inbox', uniqueEmail('inbox'));
	const workspaceId = await createWorkspace(page, 'Inbox');
	const key = await createApiKey(page, workspaceId);
	await page.goto(`/w/${workspaceId}/journeys`);
	await page.getByLabel('Journey title').fill('Flying with us');
	await page.locator('select[name="template"]').selectOption('airline');
	await page.getByRole('button', { name: 'Create', exact: true }).click();
	await expect(page).toHaveURL(/\/journeys\/[0-9a-f-]{36}$/);
	const journeyId = page.url().split('/').pop()!;
	const scoresUrl = `/w/${workspaceId}/journeys/${journeyId}/scores`;

	const base = `/w/${workspaceId}/feedback`;
	await test.step('an empty inbox says how to get feedback in', async () => {
		await page.goto(base);
		await expect(page.getByTestId('inbox-empty')).toContainText('Import a CSV file');
		await expect(page.getByRole('link', { name: 'Import CSV' })).toHaveAttribute('href', `${base}/import`);
		await expect(page.getByRole('link', { name: 'Add feedback' })).toHaveAttribute('href', `${base}/new`);
	});

	const ids: string[] = [];
	for (const [i, item] of ITEMS.entries()) {
		const received = new Date(Date.now() - (ITEMS.length - i) * 60_000).toISOString();
		ids.push(await post(request, key, { ...item, journey_id: journeyId, received_at: received }));
	}

	await test.step('analysed items are listed newest first, with highlighted spans', async () => {
		await expect(async () => {
			await page.goto(base);
			await expect(page.getByTestId('inbox-item')).toHaveCount(ITEMS.length, { timeout: 1000 });
		}).toPass({ timeout: 30_000 });
		await expect(page.getByTestId('inbox-item').first()).toHaveAttribute('data-id', ids[ids.length - 1]);
		await expect(page.locator('mark.hl-sentiment').first()).toBeVisible();
		await expect(page.getByTestId('results-count')).toContainText(`${ITEMS.length} items`);
		await page.screenshot({ path: `${ARTIFACTS}/inbox-list.png`, fullPage: true });
	});

	await test.step('a facet filters through the URL, counts the others, and the back button undoes it', async () => {
		const negative = page.getByTestId('facet-polarity').getByRole('link', { name: /Negative/ });
		const count = Number(await negative.locator('.count').innerText());
		expect(count).toBeGreaterThan(0);
		await negative.click();
		await expect(page).toHaveURL(/polarity=negative/);
		await expect(page.getByTestId('inbox-item')).toHaveCount(count);
		// The polarity facet still offers the other values (its own filter is left out of its counts).
		await expect(page.getByTestId('facet-polarity').getByRole('link', { name: /Positive/ })).toBeVisible();
		await page.goBack();
		await expect(page).not.toHaveURL(/polarity=/);
		await expect(page.getByTestId('inbox-item')).toHaveCount(ITEMS.length);
	});

	await test.step('search finds French and English words', async () => {
		await page.getByLabel('Search the feedback').fill('valises');
		await page.getByLabel('Search the feedback').press('Enter');
		await expect(page).toHaveURL(/q=valises/);
		await expect(page.getByTestId('inbox-item')).toHaveCount(1);
		await expect(page.getByTestId('inbox-item')).toHaveAttribute('data-id', ids[1]);
		await page.getByLabel('Search the feedback').fill('delays');
		await page.getByLabel('Search the feedback').press('Enter');
		await expect(page.getByTestId('inbox-item')).toHaveCount(1);
		await expect(page.getByTestId('inbox-item')).toHaveAttribute('data-id', ids[3]);
		await page.getByTestId('clear-filters').click();
		await expect(page.getByTestId('inbox-item')).toHaveCount(ITEMS.length);
	});

	await test.step('one click corrects a polarity; the item and the live score change', async () => {
		const row = page.locator(`[data-testid="inbox-item"][data-id="${ids[0]}"]`);
		await expect(row.getByTestId('item-polarity')).toContainText('Negative');
		const before = (await (await page.request.get(scoresUrl)).json()) as {
			touchpoints: Record<string, { score: number | null; volume: number }>;
		};
		await row.getByRole('button', { name: 'Set polarity to Positive' }).click();
		await expect(page.getByTestId('toast').first()).toContainText('Correction saved');
		await expect(row.getByTestId('item-polarity')).toContainText('Positive · corrected');
		const after = (await (await page.request.get(scoresUrl)).json()) as typeof before;
		const moved = Object.keys(after.touchpoints).filter(
			(id) => after.touchpoints[id].score !== before.touchpoints[id]?.score
		);
		expect(moved.length).toBeGreaterThan(0);
		for (const id of moved)
			expect(after.touchpoints[id].score!).toBeGreaterThan(before.touchpoints[id].score!);
	});

	await test.step('the item view shows highlights, confidences, the touchpoint, and corrects with the keyboard', async () => {
		await page.goto(`${base}/${ids[1]}`);
		await expect(page.getByTestId('item-text').locator('mark').first()).toBeVisible();
		await expect(page.getByTestId('item-text').locator('mark.hl-place')).toContainText('Lyon');
		await expect(page.getByTestId('row-polarity')).toContainText('%');
		await page.screenshot({ path: `${ARTIFACTS}/inbox-item.png`, fullPage: true });
		const neutral = page.getByTestId('row-polarity').getByRole('button', { name: 'Neutral' });
		await neutral.focus();
		await page.keyboard.press('Enter');
		await expect(page.getByTestId('polarity-value')).toHaveText('Neutral');
		await expect(page.getByTestId('corrections')).toContainText('changed polarity from Negative to Neutral');
	});

	await test.step('spam leaves the list and comes back from the spam view', async () => {
		await page.getByTestId('spam-toggle').click();
		await expect(page.getByTestId('spam-notice')).toBeVisible();
		await page.goto(base);
		await expect(page.getByTestId('inbox-item')).toHaveCount(ITEMS.length - 1);
		await page.getByRole('link', { name: 'Only spam' }).click();
		await expect(page.getByTestId('inbox-item')).toHaveCount(1);
	});

	await test.step('the inbox speaks French too', async () => {
		await page.goto(base);
		await page.getByTestId('locale-fr').click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Retours clients');
		await expect(page.getByTestId('facet-polarity')).toContainText('Polarité');
		await expect(page.getByLabel('Rechercher dans les retours')).toBeVisible();
		await page.screenshot({ path: `${ARTIFACTS}/inbox-list-fr.png`, fullPage: true });
		await page.getByTestId('locale-en').click();
	});
});
