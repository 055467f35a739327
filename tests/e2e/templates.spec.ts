import { expect, test, type Page } from '@playwright/test';
import { createApiKey, createJourney, expectLive, invite, owner, postFeedback } from './helpers';

/**
 * Workspace templates in real Chromium: a journey edited by hand is saved as a template, a new journey
 * starts from it with the same map; a bad journey file is refused where the user chose it.
 */

const ARTIFACTS = 'tests/.artifacts';

/** The map as this page's editor holds it, without what differs between two journeys (title). */
function mapOf(page: Page) {
	return page.evaluate(() => {
		const s = (globalThis as unknown as { parcoursSession: { snapshot: Record<string, unknown> } })
			.parcoursSession.snapshot;
		return { stages: s.stages, touchpoints: s.touchpoints, personas: s.personas, connections: s.connections };
	});
}

async function cardTitles(page: Page) {
	await expect(page.getByTestId('touchpoint-card').first()).toBeVisible();
	return (await page.getByTestId('card-title').allInnerTexts()).sort();
}

test('save a journey as a template, start a journey from it, manage templates; viewers only use them', async ({
	browser
}) => {
	const o = await owner(browser, 'Templates');
	const page = o.page;
	const journeys = `/w/${o.workspaceId}/journeys`;
	const url = await createJourney(page, o.workspaceId, 'Flight', 'airline');

	await test.step('a card of our own is added to the map and stored', async () => {
		await page
			.getByTestId('stage-column')
			.first()
			.click({ position: { x: 40, y: 20 } });
		await page.getByTestId('add-touchpoint').click();
		const title = page.locator('#tp-title');
		await expect(title).toBeFocused();
		await title.fill('Our lounge');
		await title.press('Enter');
		await expect(page.getByTestId('card-title').filter({ hasText: 'Our lounge' })).toBeVisible();
		// The template is taken from the stored map: wait until the server has it.
		await expect
			.poll(async () => (await page.request.get(`${url}/export`)).text(), { timeout: 15_000 })
			.toContain('Our lounge');
	});
	const sourceCards = await cardTitles(page);
	const sourceMap = await mapOf(page);

	await test.step('save it as a template from its card', async () => {
		await page.goto(journeys);
		const card = page.getByTestId('journey-card').filter({ hasText: 'Flight' });
		await card.getByRole('button', { name: 'Save as template' }).click();
		await expect(page.getByTestId('toast').last()).toContainText('Saved as a workspace template');
		await expect(page.getByRole('link', { name: 'Workspace templates (1)' })).toBeVisible();
		await page.locator('select[name="template"]').focus();
		await page.screenshot({ path: `${ARTIFACTS}/templates-journeys.png`, fullPage: true });
	});

	await test.step('a new journey from the template shows the same cards', async () => {
		await page.getByLabel('Journey title').fill('Flight to Lyon');
		const option = page.locator('optgroup[label="This workspace"] option', { hasText: 'Flight' });
		await expect(option).toHaveCount(1);
		await page.locator('select[name="template"]').selectOption((await option.getAttribute('value'))!);
		await page.getByRole('button', { name: 'Create', exact: true }).click();
		await expect(page).toHaveURL(/\/journeys\/[0-9a-f-]{36}$/);
		expect(page.url()).not.toBe(url);
		await expectLive(page);
		expect(await cardTitles(page)).toEqual(sourceCards);
		expect(sourceCards).toContain('Our lounge');
		expect(await mapOf(page)).toEqual(sourceMap);
		await page.screenshot({ path: `${ARTIFACTS}/templates-new-journey.png` });
	});

	await test.step('the templates page renames and deletes', async () => {
		await page.goto(journeys);
		await page.getByRole('link', { name: 'Workspace templates (1)' }).click();
		await expect(page.getByRole('heading', { name: 'Workspace templates' })).toBeVisible();
		const card = page.getByTestId('template-card');
		await expect(card).toContainText('Flight');
		await card.getByRole('button', { name: 'Rename' }).click();
		await page.getByLabel('Template name').fill('');
		await page.getByLabel('Template name').fill('Long-haul flight');
		await page.getByLabel('Template name').press('Enter');
		await expect(card.getByRole('heading', { name: 'Long-haul flight' })).toBeVisible();
		await page.screenshot({ path: `${ARTIFACTS}/templates-page.png`, fullPage: true });
	});

	await test.step('a viewer sees the templates but no action on them', async () => {
		const v = await invite(browser, page, o.workspaceId, 'Vera Viewer', 'viewer');
		await v.page.goto(journeys);
		await expect(v.page.getByTestId('journey-card').first()).toBeVisible();
		await expect(v.page.getByRole('button', { name: 'Save as template' })).toHaveCount(0);
		await v.page.goto(`/w/${o.workspaceId}/templates`);
		await expect(v.page.getByTestId('template-card')).toContainText('Long-haul flight');
		await expect(v.page.getByTestId('template-card').getByRole('button')).toHaveCount(0);
		await v.ctx.close();
	});

	await test.step('deleting a template asks first and leaves the journeys', async () => {
		await page.goto(`/w/${o.workspaceId}/templates`);
		page.once('dialog', (d) => d.accept());
		await page.getByTestId('template-card').getByRole('button', { name: 'Delete' }).click();
		await expect(page.getByTestId('templates-empty')).toBeVisible();
		await page.goto(journeys);
		await expect(page.getByTestId('journey-card')).toHaveCount(2);
		await expect(page.locator('optgroup[label="This workspace"]')).toHaveCount(0);
	});
	await o.ctx.close();
});

test('a bad journey file is refused with the path of the problem, next to the file field', async ({
	browser
}) => {
	const o = await owner(browser, 'Imports');
	const page = o.page;
	const url = await createJourney(page, o.workspaceId, 'Checkout', 'airline');
	const file = (await (await page.request.get(`${url}/export`)).json()) as {
		journey: { stages: { touchpoints: { emotion: unknown }[] }[] };
	};
	file.journey.stages[0].touchpoints[0].emotion = 7;

	await page.goto(`/w/${o.workspaceId}/journeys`);
	await expect(page.getByTestId('journey-card')).toHaveCount(1);
	await page.getByLabel('A file exported from Parcours').setInputFiles({
		name: 'checkout.parcours.json',
		mimeType: 'application/json',
		buffer: Buffer.from(JSON.stringify(file))
	});
	await page.getByRole('button', { name: 'Import', exact: true }).click();
	const error = page.getByTestId('import-error');
	await expect(error).toContainText('This file is not a valid journey file');
	await expect(error).toContainText('journey.stages[0].touchpoints[0].emotion');
	await expect(page.getByLabel('A file exported from Parcours')).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByTestId('journey-card')).toHaveCount(1);
	await error.scrollIntoViewIfNeeded();
	await page.screenshot({ path: `${ARTIFACTS}/templates-import-error.png` });

	// A file from a newer Parcours says so.
	await page.getByLabel('A file exported from Parcours').setInputFiles({
		name: 'future.parcours.json',
		mimeType: 'application/json',
		buffer: Buffer.from(JSON.stringify({ ...file, schemaVersion: 99 }))
	});
	await page.getByRole('button', { name: 'Import', exact: true }).click();
	await expect(error).toContainText('schemaVersion: written by a newer Parcours');
	await expect(page.getByTestId('journey-card')).toHaveCount(1);
	await o.ctx.close();
});

test('duplicate with its feedback scores: the copy shows the same live scores, the inbox keeps one item each', async ({
	browser
}) => {
	const o = await owner(browser, 'Copies');
	const page = o.page;
	const url = await createJourney(page, o.workspaceId, 'Trip', 'airline');
	const journeyId = url.split('/').pop()!;
	const { touchpoints } = await page.evaluate(
		() =>
			(globalThis as unknown as { parcoursSession: { snapshot: { touchpoints: { id: string }[] } } })
				.parcoursSession.snapshot
	);
	const first = touchpoints[0].id;
	const key = await createApiKey(page, o.workspaceId);
	for (const text of [
		'My flight was delayed four hours and nobody told us anything. Terrible service.',
		'Lost my luggage and the hotline never answered. Very disappointed.'
	])
		await postFeedback(page.request, key, { text, journey_id: journeyId, touchpoint_id: first });

	const scoreOf = (p: Page) =>
		p.locator(`[data-testid="touchpoint-card"][data-id="${first}"] [data-testid="card-live-score"]`);
	await page.goto(url);
	await expect(scoreOf(page)).toHaveAttribute('data-volume', '2', { timeout: 20_000 });
	const score = await scoreOf(page).getAttribute('data-score');

	await page.goto(`/w/${o.workspaceId}/journeys`);
	const card = page
		.getByTestId('journey-card')
		.filter({ has: page.getByRole('link', { name: 'Trip', exact: true }) });
	await card.getByLabel('Copy feedback scores').check();
	await card.getByRole('button', { name: 'Duplicate' }).click();
	const copy = page.getByTestId('journey-card').filter({ hasText: 'Trip (copy)' });
	await expect(copy).toBeVisible();
	// Without the option (the form is reset after sending), a copy starts with no score.
	await expect(card.getByLabel('Copy feedback scores')).not.toBeChecked();
	await card.getByRole('button', { name: 'Duplicate' }).click();
	await expect(page.getByTestId('journey-card').filter({ hasText: 'Trip (copy)' })).toHaveCount(2);

	const copies = page.getByTestId('journey-card').filter({ hasText: 'Trip (copy)' }).locator('h2 a');
	const hrefs = await copies.evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
	const volumes: string[] = [];
	for (const href of hrefs) {
		await page.goto(href);
		await expectLive(page);
		await expect(page.getByTestId('live-summary')).toBeVisible();
		await expect(page.getByTestId('touchpoint-card').first()).toBeVisible();
		// The scores channel answers once connected: the summary then reads the copy's volume.
		await expect(page.getByTestId('live-summary')).toHaveText(/^(0|2) items$/, { timeout: 15_000 });
		volumes.push((await page.getByTestId('live-summary').innerText()).trim());
		if (volumes.at(-1) === '2 items') {
			await expect(scoreOf(page)).toHaveAttribute('data-score', score!);
			await page.screenshot({ path: `${ARTIFACTS}/templates-duplicate-scores.png` });
		} else await expect(scoreOf(page)).toHaveCount(0);
	}
	expect(volumes.sort()).toEqual(['0 items', '2 items']);

	// The inbox still lists each item once.
	await page.goto(`/w/${o.workspaceId}/feedback`);
	await expect(page.getByTestId('results-count')).toHaveText('2 items');
	await o.ctx.close();
});
