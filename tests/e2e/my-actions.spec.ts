import { expect, test } from '@playwright/test';
import {
	createApiKey,
	createJourney,
	createWorkspace,
	postFeedback,
	signUp,
	uniqueEmail,
	VIEWPORT
} from './helpers';

/**
 * Signals on the canvas, in real Chromium against the built app: a loop opened through the loop form
 * shows as a badge on its touchpoint, and a burst of negative feedback posted through the API opens an
 * alert that makes the touchpoint pulse, both without a reload.
 */

const ARTIFACTS = 'tests/.artifacts';

test('a loop shows as a badge and an alert makes its touchpoint pulse, live', async ({
	browser,
	baseURL
}) => {
	test.setTimeout(120_000);
	const ctx = await browser.newContext({ viewport: VIEWPORT });
	const page = await ctx.newPage();
	const errors: string[] = [];
	page.on('pageerror', (e) => errors.push(e.message));
	await signUp(page, 'Sam Staff', uniqueEmail('signals'));
	const workspaceId = await createWorkspace(page, 'Signals');
	const key = await createApiKey(page, workspaceId);
	const url = await createJourney(page, workspaceId, 'Airline trip', 'airline');
	const journeyId = url.split('/').pop()!;
	const card = page.getByTestId('touchpoint-card').first();
	const touchpointId = (await card.getAttribute('data-id'))!;
	await expect(card.getByTestId('loop-badge')).toHaveCount(0);
	await expect(card.getByTestId('alert-marker')).toHaveCount(0);

	// Another tab of the same user opens a loop on the touchpoint through the loop form.
	const created = await page.request.post(`/w/${workspaceId}/loops/new?/create`, {
		headers: { origin: baseURL!, accept: 'text/html' },
		form: {
			title: 'Queue at check-in',
			problem: 'Customers wait 40 minutes',
			journeyId,
			touchpointIds: touchpointId
		},
		maxRedirects: 0
	});
	expect(created.status()).toBe(303);
	const badge = card.getByTestId('loop-badge');
	await expect(badge).toHaveText('1');
	await expect(badge).toHaveAttribute('aria-label', 'Open loops on this touchpoint: 1');
	await expect(badge).toHaveAttribute(
		'href',
		`/w/${workspaceId}/loops?journey=${journeyId}&touchpoint=${touchpointId}`
	);

	// I own the touchpoint (picked in its panel, which also counts as a look at its feedback).
	await card.click();
	await page.getByLabel('Owner', { exact: true }).selectOption({ label: 'Sam Staff' });
	await page.keyboard.press('Escape');
	await expect(page.getByTestId('touchpoint-feedback')).toHaveCount(0);

	// A burst of complaints on the touchpoint, well above its (empty) baseline.
	for (let i = 0; i < 8; i++) {
		await postFeedback(page.request, key, {
			text: `Terrible experience, the queue was horrible and the staff rude. I am furious (${i}).`,
			journey_id: journeyId,
			touchpoint_id: touchpointId
		});
	}
	const marker = card.getByTestId('alert-marker');
	await expect(marker).toBeVisible({ timeout: 30_000 });
	await expect(marker).toHaveAttribute('aria-label', 'Alert: negative feedback is rising here');
	await expect(marker).toHaveAttribute('href', new RegExp(`^/w/${workspaceId}/alerts/[0-9a-f-]{36}$`));
	const pulse = card.getByTestId('alert-pulse');
	expect(await pulse.evaluate((el) => getComputedStyle(el).animationName)).not.toBe('none');
	await card.screenshot({ path: `${ARTIFACTS}/signals-card.png` });
	// Without motion the marker and a still ring remain: the alert is not told by motion alone.
	await page.emulateMedia({ reducedMotion: 'reduce' });
	expect(await pulse.evaluate((el) => getComputedStyle(el).animationName)).toBe('none');
	await expect(marker).toBeVisible();

	// My touchpoints counts them as new until I look at them.
	const newCount = page.getByTestId('my-touchpoint').getByTestId('new-since-visit');
	await page.goto(`/w/${workspaceId}/actions`);
	await expect(newCount).toHaveText('8 new');
	await page.goto(url);
	await expect(card.getByTestId('alert-marker')).toBeVisible();

	// The touchpoint's panel lists the loop and the alert, and offers to open another loop.
	await card.click();
	await expect(page.getByTestId('panel-loops')).toContainText('Queue at check-in');
	await expect(page.getByTestId('panel-alert')).toBeVisible();
	await expect(page.getByTestId('open-loop')).toHaveAttribute(
		'href',
		`/w/${workspaceId}/loops/new?journey=${journeyId}&touchpoint=${touchpointId}`
	);
	await page.screenshot({ path: `${ARTIFACTS}/signals-map.png` });
	await expect(page.getByTestId('latest-item')).toHaveCount(8);
	await page.goto(`/w/${workspaceId}/actions`);
	await expect(newCount).toHaveText('0');
	expect(errors).toEqual([]);
	await ctx.close();
});

test('My actions lists what is assigned to me, overdue first, and changes its status inline', async ({
	browser,
	baseURL
}) => {
	const ctx = await browser.newContext({ viewport: VIEWPORT });
	const page = await ctx.newPage();
	const errors: string[] = [];
	page.on('pageerror', (e) => errors.push(e.message));
	await signUp(page, 'Sam Staff', uniqueEmail('actions'));
	const workspaceId = await createWorkspace(page, 'Actions');
	const url = await createJourney(page, workspaceId, 'Airline trip', 'airline');
	const journeyId = url.split('/').pop()!;
	// I own a touchpoint: chosen in its side panel, like anyone would.
	const card = page.getByTestId('touchpoint-card').first();
	const touchpointId = (await card.getAttribute('data-id'))!;
	await card.click();
	const ownerSelect = page.getByLabel('Owner', { exact: true });
	await ownerSelect.selectOption({ label: 'Sam Staff' });
	const me = await ownerSelect.inputValue();

	// A loop in solve with an action of mine due yesterday, through the loop pages' forms.
	const post = (path: string, form: Record<string, string>) =>
		page.request.post(path, { headers: { origin: baseURL!, accept: 'text/html' }, form, maxRedirects: 0 });
	const created = await post(`/w/${workspaceId}/loops/new?/create`, {
		title: 'Queue at check-in',
		problem: 'Customers wait 40 minutes',
		journeyId,
		touchpointIds: touchpointId
	});
	const loopPath = created.headers().location;
	expect(loopPath).toMatch(/\/loops\/[0-9a-f-]{36}$/);
	expect((await post(`${loopPath}?/move`, { to: 'solve' })).status()).toBeLessThan(400);
	const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
	await post(`${loopPath}?/addAction`, { title: 'Open a second desk', ownerId: me, dueDate: yesterday });
	await post(`${loopPath}?/addAction`, { title: 'Signs in the hall', ownerId: me });

	await page.goto(`/w/${workspaceId}/actions`);
	const items = page.getByTestId('my-item');
	await expect(items.getByTestId('my-item-title')).toHaveText(['Open a second desk', 'Signs in the hall']);
	await expect(items.first().getByTestId('overdue')).toHaveText('Overdue');
	// My touchpoints reads the stored map, which follows the live one within half a second.
	await expect(async () => {
		await page.reload();
		await expect(page.getByTestId('my-touchpoint')).toHaveCount(1, { timeout: 500 });
	}).toPass({ timeout: 10_000 });
	await page.screenshot({ path: `${ARTIFACTS}/my-actions.png`, fullPage: true });

	// Keyboard only: the status select, then its button.
	const status = items.first().getByLabel('Status');
	await status.focus();
	await status.selectOption('doing');
	await page.keyboard.press('Tab');
	await page.keyboard.press('Enter');
	await expect(items.first().getByTestId('my-item-message')).toHaveText('Saved.');
	await expect(items.first().getByLabel('Status')).toHaveValue('doing');
	expect(errors).toEqual([]);
	await ctx.close();
});
