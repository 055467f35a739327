/**
 * A burst of complaints through the API becomes an alert in the bell and the alerts list; its page lists
 * the items behind it and opens a loop with one click. Thresholds and webhooks name what to fix.
 */
import { expect, test } from '@playwright/test';
import { createApiKey, createJourney, owner } from './helpers';

const ARTIFACTS = process.env.E2E_OUTPUT_DIR || 'tests/.artifacts/playwright';

const COMPLAINTS = [
	'My luggage was lost and nobody at the desk could help. Terrible service.',
	'They lost my suitcase, awful, nobody answers the phone.',
	'Horrible experience, my baggage never arrived and the staff were rude.',
	'Lost luggage again, I am furious, the worst service ever.'
];

test('a burst of complaints opens an alert, and one click opens a loop from it', async ({ browser }) => {
	const { ctx, page, workspaceId } = await owner(browser, 'Alerts');
	const url = await createJourney(page, workspaceId, 'Trip');
	const journeyId = url.split('/').pop()!;
	const key = await createApiKey(page, workspaceId);
	const now = Date.now();
	const res = await page.request.post('/api/v1/feedback', {
		headers: { authorization: `Bearer ${key}` },
		data: {
			items: Array.from({ length: 10 }, (_, i) => ({
				text: COMPLAINTS[i % COMPLAINTS.length],
				channel: 'email',
				received_at: new Date(now - (30 - i * 3) * 60_000).toISOString(),
				journey_id: journeyId
			}))
		}
	});
	expect(res.status(), await res.text()).toBe(201);

	await page.goto(`/w/${workspaceId}/alerts`);
	await expect
		.poll(
			async () => {
				await page.reload();
				return page.getByTestId('open-alerts').getByTestId('alert').count();
			},
			{ timeout: 30_000 }
		)
		.toBeGreaterThan(0);
	await page.screenshot({ path: `${ARTIFACTS}/alerts-list.png`, fullPage: true });

	await page.getByTestId('open-alerts').getByTestId('alert').first().getByRole('link').click();
	await expect(page.getByTestId('alert-items').getByRole('listitem')).not.toHaveCount(0);
	await page.screenshot({ path: `${ARTIFACTS}/alert-page.png`, fullPage: true });
	await page.getByRole('button', { name: 'Open a loop' }).click();
	await expect(page).toHaveURL(new RegExp(`/w/${workspaceId}/loops/[0-9a-f-]{36}$`));
	// Back on the alert, the button has become the way to its loop.
	await page.goBack();
	await page.reload();
	await expect(page.getByTestId('alert-loop')).toBeVisible();
	await expect(page.getByRole('button', { name: 'Open a loop' })).toHaveCount(0);

	// The bell heard of it too.
	await page.goto(`/w/${workspaceId}/notifications`);
	await expect(page.locator('[data-kind="alert"]').first()).toBeVisible();

	// Thresholds: a refused value is named next to its field.
	await page.goto(`/w/${workspaceId}/settings/alerts`);
	await page.getByLabel('Negative items needed in the window').fill('1');
	await page.getByRole('button', { name: 'Save thresholds' }).click();
	await expect(page.getByText('Enter a value between 2 and 10000.')).toBeVisible();
	await page.getByLabel('Negative items needed in the window').fill('8');
	await page.getByRole('button', { name: 'Save thresholds' }).click();
	await expect(page.getByText('Thresholds saved')).toBeVisible();
	await page.screenshot({ path: `${ARTIFACTS}/alert-settings.png`, fullPage: true });

	// Webhooks: a URL with a password is refused with what to fix.
	await page.goto(`/w/${workspaceId}/settings/webhooks`);
	await page.getByLabel('Endpoint URL').fill('https://user:pw@hooks.example.com/parcours');
	await page.getByRole('button', { name: 'Add webhook' }).click();
	await expect(page.locator('#webhook-url-error')).toContainText(
		'Remove the user name and password from the URL'
	);
	// The app's own network is refused, whatever the form of the address (here IPv4-mapped loopback).
	await page.getByLabel('Endpoint URL').fill('http://[::ffff:127.0.0.1]:9/parcours');
	await page.getByRole('button', { name: 'Add webhook' }).click();
	await expect(page.locator('#webhook-url-error')).toContainText('server’s own network');
	// A literal public address: no name to resolve on a machine without DNS.
	await page.getByLabel('Endpoint URL').fill('https://93.184.215.14/parcours');
	await page.getByRole('checkbox', { name: 'alert.opened' }).check();
	await page.getByRole('button', { name: 'Add webhook' }).click();
	await expect(page.getByTestId('webhook-secret').locator('code')).toHaveText(/^whsec_/);
	await expect(page.getByTestId('webhook')).toHaveCount(1);
	await page.screenshot({ path: `${ARTIFACTS}/webhooks.png`, fullPage: true });
	await ctx.close();
});
