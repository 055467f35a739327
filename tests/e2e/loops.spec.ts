/**
 * A loop from the inbox: an owner opens a complaint, starts a loop from it with its touchpoint, moves
 * it to Solve and adds an action; the loop shows on the board. Short on purpose: the whole story of a
 * loop is driven by the end-to-end test.
 */
import { expect, test } from '@playwright/test';
import { createApiKey, createJourney, owner } from './helpers';

const ARTIFACTS = 'tests/.artifacts';

test('an owner starts a loop from an inbox item and adds an action', async ({ browser }) => {
	test.setTimeout(120_000);
	const o = await owner(browser, 'Loops', 'Olivia Owner');
	const page = o.page;
	const url = await createJourney(page, o.workspaceId, 'Flights', 'airline');
	const journeyId = url.split('/').pop()!;
	const key = await createApiKey(page, o.workspaceId);
	const res = await page.request.post('/api/v1/feedback', {
		headers: { authorization: `Bearer ${key}` },
		data: {
			channel: 'email',
			received_at: new Date().toISOString(),
			journey_id: journeyId,
			text: 'Boarding was chaos: nobody told us the gate had changed and we nearly missed the flight.',
			customer: { name: 'Marie Dupont', contact: 'marie@example.com' }
		}
	});
	expect(res.status(), await res.text()).toBe(201);
	const itemId = ((await res.json()) as { id: string }).id;

	await test.step('the item page starts a loop with the item as evidence', async () => {
		await page.goto(`/w/${o.workspaceId}/feedback/${itemId}`);
		await page.getByRole('heading', { name: 'Add to a loop' }).scrollIntoViewIfNeeded();
		await page.screenshot({ path: `${ARTIFACTS}/loops-from-item-en.png` });
		await page.getByRole('link', { name: 'Start a new loop' }).click();
		await expect(page).toHaveURL(/\/loops\/new\?/);
		await page.getByLabel('Title').fill('Gate changes nobody hears about');
		await page.getByRole('group', { name: 'Touchpoints' }).getByRole('checkbox').first().check();
		await page.screenshot({ path: `${ARTIFACTS}/loops-new-en.png`, fullPage: true });
		await page.getByRole('button', { name: 'Create the loop' }).click();
		await expect(page).toHaveURL(/\/loops\/[0-9a-f-]{36}$/);
		await expect(page.getByRole('heading', { name: 'Gate changes nobody hears about' })).toBeVisible();
		await expect(page.getByRole('heading', { name: 'Evidence (1)' })).toBeVisible();
	});

	await test.step('moving to Solve, the owner adds an action with an owner and a due date', async () => {
		await page.getByRole('button', { name: 'Move to Solve' }).click();
		await expect(page.getByRole('heading', { name: 'Stage: Solve' })).toBeVisible();
		await page.getByLabel('What answers the rational need').fill('Announce gate changes on every channel');
		await page.getByLabel('What answers the emotional need').fill('Feel looked after, not lost');
		await page.getByRole('button', { name: 'Save the solution' }).click();
		await expect(page.getByText('Saved.').first()).toBeVisible();
		const add = page.locator('form.add-action');
		await add.getByLabel('Action').fill('Push an SMS on gate change');
		await add.getByLabel('Owner').selectOption({ label: 'Olivia Owner' });
		await add.getByLabel('Due date').fill('2026-12-15');
		await add.getByRole('button', { name: 'Add action' }).click();
		const action = page.getByTestId('action');
		await expect(action).toHaveCount(1);
		await expect(action.getByLabel('Action')).toHaveValue('Push an SMS on gate change');
		await expect(page.getByTestId('timeline')).toContainText('added the action “Push an SMS on gate change”');
		await page.screenshot({ path: `${ARTIFACTS}/loops-page-en.png`, fullPage: true });
	});

	await test.step('done, measured and followed up: the customer gets a message from a template', async () => {
		await page.getByTestId('action').getByLabel('Status').selectOption('done');
		await page.getByRole('button', { name: 'Save “Push an SMS on gate change”' }).click();
		await expect(page.getByTestId('timeline')).toContainText('to Done');
		await page.getByRole('button', { name: 'Move to Measure' }).click();
		await expect(page.getByRole('heading', { name: 'Stage: Measure' })).toBeVisible();
		await page.getByRole('button', { name: 'Measure now' }).click();
		await expect(page.getByTestId('verdict')).toContainText('Not enough data');
		await page.getByRole('button', { name: 'Move to Follow up' }).click();
		const followUp = page.getByTestId('follow-up');
		await expect(followUp).toHaveCount(1);
		await expect(followUp.getByRole('heading', { name: 'Marie Dupont' })).toBeVisible();
		await followUp.getByLabel('Gesture').fill('a lounge pass');
		await followUp.getByRole('button', { name: 'Write from template' }).click();
		await expect(followUp.getByLabel('Message')).toHaveValue(/^Hello Marie Dupont,[\s\S]*a lounge pass/);
		await expect(followUp.getByRole('link', { name: 'Open in my e-mail' })).toHaveAttribute(
			'href',
			/^mailto:marie%40example\.com\?subject=/
		);
		await page.screenshot({ path: `${ARTIFACTS}/loops-follow-up-en.png`, fullPage: true });
		await page.getByRole('button', { name: 'Close loop' }).click();
		await expect(page.getByTestId('loop-error')).toContainText('1 follow-up(s) are still pending');
		await followUp.getByLabel('Outcome').selectOption('satisfied');
		await followUp.getByRole('button', { name: 'Record follow-up' }).click();
		await expect(followUp).toContainText('Contacted by e-mail: satisfied.');
		await page.getByRole('button', { name: 'Close loop' }).click();
		await expect(page.getByRole('heading', { name: 'Stage: Closed' })).toBeVisible();
	});

	await test.step('the board shows the loop closed', async () => {
		await page.goto(`/w/${o.workspaceId}/loops`);
		const column = page.getByRole('region', { name: /^Closed/ });
		await expect(column.getByRole('link', { name: 'Gate changes nobody hears about' })).toBeVisible();
		await expect(page.getByTestId('journey-metrics')).toContainText('Flights');
		await page.screenshot({ path: `${ARTIFACTS}/loops-board-en.png`, fullPage: true });
		await page.getByRole('link', { name: 'Gate changes nobody hears about' }).click();
		// Switch language on the loop page, not on the board the navigation is leaving.
		await expect(page.getByRole('heading', { name: 'Stage: Closed' })).toBeVisible();
		await page.getByTestId('locale-fr').click();
		await expect(page.getByRole('heading', { name: 'Étape : Fermée' })).toBeVisible();
		await page.screenshot({ path: `${ARTIFACTS}/loops-page-fr.png`, fullPage: true });
	});
});
