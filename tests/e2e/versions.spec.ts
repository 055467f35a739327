import { expect, test, type Page } from '@playwright/test';
import { createJourney, invite, openJourney, owner, typeTitle } from './helpers';

/**
 * Version history in real Chromium against the built app: name a version, change the map, compare
 * (differences highlighted on the cards and listed), restore it for everyone (a second editor's open
 * map follows), and undo the restore with the version kept before it.
 */

const ARTIFACTS = 'tests/.artifacts';
/** A card by its exact title (one card's title may contain another's). */
const card = (page: Page, title: string) =>
	page
		.getByTestId('touchpoint-card')
		.filter({ has: page.getByTestId('card-title').getByText(title, { exact: true }) });

function titles(page: Page) {
	return page.evaluate(() => {
		const s = (
			globalThis as unknown as {
				parcoursSession: { journey: { snapshot(): { touchpoints: { title: string }[] } } };
			}
		).parcoursSession;
		return s.journey.snapshot().touchpoints.map((t) => t.title);
	});
}

test('name a version, change the map, compare, restore for everyone, undo the restore', async ({
	browser
}) => {
	const o = await owner(browser, 'Versions');
	const e = await invite(browser, o.page, o.workspaceId, 'Eddie Editor', 'editor');
	const url = await createJourney(o.page, o.workspaceId, 'Airline trip', 'airline');
	await openJourney(e.page, url);
	const page = o.page;
	const original = await titles(page);
	expect(original.length).toBeGreaterThan(3);
	const [renamed, removed] = original;

	await test.step('name the current version', async () => {
		await page.getByTestId('versions-button').click();
		const drawer = page.getByTestId('versions-drawer');
		await expect(drawer).toBeVisible();
		await drawer.getByLabel('Name the current version').fill('After workshop 12 March');
		await drawer.getByTestId('version-name-submit').click();
		const item = drawer.getByTestId('version-item').filter({ hasText: 'After workshop 12 March' });
		await expect(item).toBeVisible();
		await expect(item).toContainText('Named');
		await expect(item).toContainText('by Olivia Owner');
		await page.screenshot({ path: `${ARTIFACTS}/versions-drawer.png` });
		await page.keyboard.press('Escape');
		await expect(drawer).toHaveCount(0);
	});

	await test.step('change the map: rename, delete and add cards', async () => {
		await card(page, renamed).click();
		await page.locator('#tp-title').fill('Renamed card');
		await page.locator('#tp-title').press('Enter');
		await expect(card(page, 'Renamed card')).toBeVisible();
		await card(page, removed).click();
		await page.keyboard.press('Delete');
		await page.getByTestId('confirm-delete').click();
		await expect(card(page, removed)).toHaveCount(0);
		await page.getByTestId('add-touchpoint').click();
		await typeTitle(page, 'Brand new card');
		await expect(card(e.page, 'Brand new card')).toBeVisible();
	});

	await test.step('compare: differences highlighted on the cards and listed', async () => {
		await page.getByTestId('versions-button').click();
		const item = page
			.getByTestId('versions-drawer')
			.getByTestId('version-item')
			.filter({ hasText: 'After workshop 12 March' });
		await item.getByTestId('version-compare').click();
		const view = page.getByTestId('version-view');
		await expect(view).toHaveAttribute('data-compare', 'true');
		await expect(page.getByTestId('version-banner')).toContainText(
			'Comparing the version “After workshop 12 March”'
		);
		await expect(card(page, 'Renamed card')).toHaveAttribute('data-mark', 'changed');
		await expect(card(page, 'Renamed card')).toHaveClass(/mark-changed/);
		await expect(card(page, 'Brand new card')).toHaveAttribute('data-mark', 'added');
		await expect(card(page, removed)).toHaveAttribute('data-mark', 'removed');
		await expect(card(page, removed)).toHaveClass(/mark-removed/);
		await expect(card(page, original[2])).not.toHaveAttribute('data-mark', /./);
		const summary = page.getByTestId('diff-summary');
		await expect(summary).toContainText('1 added');
		await expect(summary).toContainText('1 changed');
		await expect(summary).toContainText('1 removed');
		await expect(summary.getByTestId('diff-item').filter({ hasText: 'Renamed card' })).toContainText('title');
		// Read-only: no editing tools on a version.
		await expect(page.getByTestId('add-touchpoint')).toHaveCount(0);
		await page.screenshot({ path: `${ARTIFACTS}/versions-compare.png` });

		await page.getByRole('link', { name: 'Show this version alone' }).click();
		await expect(view).toHaveAttribute('data-compare', 'false');
		await expect(page.getByTestId('version-banner')).toContainText(
			'Viewing the version “After workshop 12 March”'
		);
		await expect(card(page, renamed)).toBeVisible();
		await expect(card(page, 'Brand new card')).toHaveCount(0);
		await page.screenshot({ path: `${ARTIFACTS}/versions-view.png` });
	});

	await test.step('restore for everyone: the other editor’s open map follows', async () => {
		await page.getByTestId('banner-restore').click();
		await expect(page.getByTestId('restore-dialog')).toBeVisible();
		await page.getByTestId('restore-confirm').click();
		await expect(page).toHaveURL(url);
		await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected');
		await expect.poll(() => titles(page)).toEqual(original);
		await expect.poll(() => titles(e.page)).toEqual(original);
		await expect(card(e.page, removed)).toBeVisible();
		await expect(card(e.page, 'Brand new card')).toHaveCount(0);
	});

	await test.step('the state before the restore is kept; restoring it undoes the restore', async () => {
		await page.getByTestId('versions-button').click();
		const kept = page.getByTestId('version-item').filter({ hasText: 'Before a restore' });
		await expect(kept).toHaveCount(1);
		await kept.getByTestId('version-restore').click();
		await page.getByTestId('restore-confirm').click();
		await expect(page.getByTestId('restore-dialog')).toBeHidden();
		await expect(card(e.page, 'Brand new card')).toBeVisible();
		await expect(card(e.page, 'Renamed card')).toBeVisible();
		await expect(card(page, removed)).toHaveCount(0);
		await page.screenshot({ path: `${ARTIFACTS}/versions-after-undo.png` });
	});
});

test('viewers see the history but cannot name or restore; owners set how many automatic versions are kept', async ({
	browser
}) => {
	const o = await owner(browser, 'Versions viewer');
	const v = await invite(browser, o.page, o.workspaceId, 'Vera Viewer', 'viewer');
	const url = await createJourney(o.page, o.workspaceId, 'Store visit', 'default');
	await o.page.getByTestId('versions-button').click();
	await o.page.getByLabel('Name the current version').fill('Baseline');
	await o.page.getByTestId('version-name-submit').click();
	await expect(o.page.getByTestId('version-item')).toHaveCount(1);

	await openJourney(v.page, url);
	await v.page.getByTestId('versions-button').click();
	const drawer = v.page.getByTestId('versions-drawer');
	await expect(drawer.getByTestId('version-item')).toHaveCount(1);
	await expect(drawer.getByLabel('Name the current version')).toHaveCount(0);
	await expect(drawer.getByTestId('version-restore')).toHaveCount(0);
	await drawer.getByTestId('version-view').click();
	await expect(v.page.getByTestId('version-banner')).toContainText('Baseline');
	await expect(v.page.getByTestId('banner-restore')).toHaveCount(0);

	await o.page.goto(`/w/${o.workspaceId}/settings`);
	const field = o.page.getByLabel('Automatic versions kept per journey');
	await expect(field).toHaveValue('50');
	await field.fill('0');
	await o.page.getByRole('button', { name: 'Save', exact: true }).first().click();
	await expect(o.page.getByText('Enter a whole number from 1 to 1000.')).toBeVisible();
	await o.page.getByLabel('Automatic versions kept per journey').fill('20');
	await o.page.getByRole('button', { name: 'Save', exact: true }).first().click();
	await expect(o.page.getByText('Saved: 20 automatic versions kept per journey.')).toBeVisible();
	await o.page.reload();
	await expect(o.page.getByLabel('Automatic versions kept per journey')).toHaveValue('20');
	await o.page.screenshot({ path: `${ARTIFACTS}/versions-settings.png` });
});
