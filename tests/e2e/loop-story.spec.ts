import { expect, test, type Page } from '@playwright/test';
import { createApiKey, createJourney, invite, owner } from './helpers';

/**
 * Issue 7's story in one run, in real Chromium against the built app: a burst of complaints posted
 * through the API raises an alert; the alert opens a loop with the items behind it; an action is
 * assigned to a second person (a viewer), who finds it in My actions and completes it; praise posted
 * afterwards makes the loop's measure show an improvement; the customers who wrote get their follow-up
 * and the loop closes.
 */

const ARTIFACTS = process.env.E2E_OUTPUT_DIR || 'tests/.artifacts/playwright';

const COMPLAINTS = [
	'Two hours of delay at the gate and not one announcement. Awful, I am furious.',
	'Our flight was delayed again, nobody told us anything, terrible service.',
	'Horrible experience: endless delay, rude staff at the gate, never again.',
	'The delay ruined my connection and the staff did not care at all. Disgraceful.'
];
const PRAISE = [
	'Boarding was smooth and on time, the staff were wonderful. Thank you!',
	'Excellent: clear announcements at the gate and a friendly crew. Great job.',
	'Perfect departure, right on time, the staff were kind and helpful. I loved it.'
];

interface Snap {
	touchpoints: { id: string; title: string }[];
}

async function firstTouchpoint(page: Page) {
	const snap = await page.evaluate(
		() => (globalThis as unknown as { parcoursSession: { snapshot: Snap } }).parcoursSession.snapshot
	);
	// The gate is where delays are felt; any touchpoint would do.
	return snap.touchpoints.find((t) => /board/i.test(t.title)) ?? snap.touchpoints[0];
}

test('from an alert to a closed loop: action, measure, follow-ups', async ({ browser }) => {
	test.setTimeout(180_000);
	const o = await owner(browser, 'Loop story');
	const page = o.page;
	const journeyUrl = await createJourney(page, o.workspaceId, 'Flights', 'airline');
	const journeyId = journeyUrl.split('/').pop()!;
	const touchpoint = await firstTouchpoint(page);
	const key = await createApiKey(page, o.workspaceId);
	const staff = await invite(browser, page, o.workspaceId, 'Sam Staff', 'viewer');

	const post = async (texts: string[], from: number, customers: number) => {
		const res = await page.request.post('/api/v1/feedback', {
			headers: { authorization: `Bearer ${key}` },
			data: {
				items: texts.map((text, i) => ({
					text,
					channel: 'email',
					// A few milliseconds apart: praise must not be dated after the moment it is measured.
					received_at: new Date(from + i * 10).toISOString(),
					journey_id: journeyId,
					touchpoint_id: touchpoint.id,
					...(i < customers
						? { customer: { name: `Customer ${i + 1}`, contact: `customer${i + 1}@example.com` } }
						: {})
				}))
			}
		});
		expect(res.status(), await res.text()).toBe(201);
		return ((await res.json()) as { results: { id: string }[] }).results.map((r) => r.id);
	};
	/** Waits until the app's processor has analysed these items. */
	const analysed = (ids: string[]) =>
		expect
			.poll(
				async () => {
					let done = 0;
					for (const id of ids) {
						const res = await page.request.get(`/api/v1/feedback/${id}`, {
							headers: { authorization: `Bearer ${key}` }
						});
						if (((await res.json()) as { status: string }).status === 'done') done++;
					}
					return done;
				},
				{ timeout: 30_000 }
			)
			.toBe(ids.length);

	await test.step('a burst of complaints through the API raises an alert on the touchpoint', async () => {
		const burst = Array.from({ length: 10 }, (_, i) => COMPLAINTS[i % COMPLAINTS.length]);
		// Within the last half hour; three of the customers left a way to answer them.
		await post(burst, Date.now() - 30 * 60_000, 3);
		await page.goto(`/w/${o.workspaceId}/alerts`);
		const alert = page.getByTestId('open-alerts').getByTestId('alert').filter({ hasText: touchpoint.title });
		await expect
			.poll(
				async () => {
					await page.reload();
					return alert.count();
				},
				{ timeout: 30_000 }
			)
			.toBe(1);
		// The canvas shows it too: the touchpoint carries the alert marker.
		await page.goto(journeyUrl);
		const card = page.locator(`[data-testid="touchpoint-card"][data-id="${touchpoint.id}"]`);
		await expect(card.getByTestId('alert-marker')).toBeVisible({ timeout: 15_000 });
		await page.goto(`/w/${o.workspaceId}/alerts`);
		await alert.getByRole('link').first().click();
		await expect(page.getByTestId('alert-items').getByRole('listitem')).toHaveCount(10);
	});

	await test.step('one click opens a loop with the items behind the alert', async () => {
		await page.getByRole('button', { name: 'Open a loop' }).click();
		await expect(page).toHaveURL(new RegExp(`/w/${o.workspaceId}/loops/[0-9a-f-]{36}$`));
		await expect(page.getByRole('heading', { name: 'Evidence (10)' })).toBeVisible();
	});
	const loopUrl = page.url();

	await test.step('solve: the needs, and an action assigned to Sam', async () => {
		await page.getByRole('button', { name: 'Move to Solve' }).click();
		await expect(page.getByRole('heading', { name: 'Stage: Solve' })).toBeVisible();
		await page
			.getByLabel('What answers the rational need')
			.fill('Announce every delay at the gate and by SMS');
		await page.getByLabel('What answers the emotional need').fill('Passengers feel informed, not forgotten');
		await page.getByRole('button', { name: 'Save the solution' }).click();
		await expect(page.getByText('Saved.').first()).toBeVisible();
		const add = page.locator('form.add-action');
		await add.getByLabel('Action').fill('Announce delays every 15 minutes');
		await add.getByLabel('Owner').selectOption({ label: 'Sam Staff' });
		await add.getByLabel('Due date').fill(new Date(Date.now() + 86_400_000).toISOString().slice(0, 10));
		await add.getByRole('button', { name: 'Add action' }).click();
		await expect(page.getByTestId('action')).toHaveCount(1);
		await page.getByRole('button', { name: 'Move to Measure' }).click();
		await expect(page.getByRole('heading', { name: 'Stage: Measure' })).toBeVisible();
		await page.screenshot({ path: `${ARTIFACTS}/loop-story-measure.png`, fullPage: true });
	});

	await test.step('Sam sees the action in My actions and completes it', async () => {
		const sam = staff.page;
		// The assignment reached Sam's bell.
		await sam.goto(`/w/${o.workspaceId}/notifications`);
		await expect(sam.locator('[data-kind="action_assigned"]')).toContainText(
			'Announce delays every 15 minutes'
		);
		await sam.goto(`/w/${o.workspaceId}/actions`);
		const item = sam.getByTestId('my-item').filter({ hasText: 'Announce delays every 15 minutes' });
		await expect(item).toHaveCount(1);
		await sam.screenshot({ path: `${ARTIFACTS}/loop-story-my-actions.png`, fullPage: true });
		await item.getByTestId('status-select').selectOption('done');
		await item.getByRole('button', { name: 'Change status' }).click();
		await expect(
			sam.getByTestId('my-item').filter({ hasText: 'Announce delays every 15 minutes' })
		).toHaveCount(0);
	});

	await test.step('praise after the action: the measure shows the improvement', async () => {
		await analysed(
			await post(
				Array.from({ length: 12 }, (_, i) => PRAISE[i % PRAISE.length]),
				Date.now(),
				0
			)
		);
		await page.goto(loopUrl);
		await page.getByRole('button', { name: 'Measure now' }).click();
		await expect(page.getByTestId('verdict')).toContainText('Improved');
		await expect(page.getByTestId('measure-table')).toContainText('n = 12');
		await page.screenshot({ path: `${ARTIFACTS}/loop-story-improved.png`, fullPage: true });
	});

	await test.step('follow up: every customer who wrote is answered, then the loop closes', async () => {
		await page.getByRole('button', { name: 'Move to Follow up' }).click();
		await expect(page.getByRole('heading', { name: 'Stage: Follow up' })).toBeVisible();
		const followUps = page.getByTestId('follow-up');
		await expect(followUps).toHaveCount(3);
		// Closing is refused while follow-ups are pending, and the page says why.
		await page.getByRole('button', { name: 'Close loop' }).click();
		await expect(page.getByTestId('loop-error')).toContainText('3 follow-up(s) are still pending');
		await expect(page.getByRole('heading', { name: 'Stage: Follow up' })).toBeVisible();
		for (let i = 0; i < 3; i++) {
			const f = page.getByTestId('follow-up').filter({ hasText: `Customer ${i + 1}` });
			await f.getByLabel('Template').selectOption({ index: 0 });
			await f.getByRole('button', { name: 'Write from template' }).click();
			await expect(f.getByLabel('Message')).toHaveValue(new RegExp(`Customer ${i + 1}`));
			await f.getByLabel('How the customer was contacted').selectOption('email');
			await f.getByLabel('Outcome').selectOption('satisfied');
			await f.getByRole('button', { name: 'Record follow-up' }).click();
			await expect(page.getByText('Follow-up recorded.').first()).toBeVisible();
		}
		await page.getByRole('button', { name: 'Close loop' }).click();
		await expect(page.getByRole('heading', { name: 'Stage: Closed' })).toBeVisible();
		await page.screenshot({ path: `${ARTIFACTS}/loop-story-closed.png`, fullPage: true });
	});

	await staff.ctx.close();
	await o.ctx.close();
});
