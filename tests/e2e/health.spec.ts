import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { createApiKey, createJourney, invite, owner } from './helpers';

/**
 * Issue 8 in real Chromium against the built app: a viewer — the executive the owner shared the pages
 * with — opens the portfolio, drills into a journey, narrows the period (the URL and the figures
 * follow), exports the page as PDF and PNG, and the journey health page is photographed with its
 * charts drawn.
 */

const TITLE = 'Flights to Lisbon';
const DAY = 86_400_000;

const OLD = [
	'The boarding was a mess, nobody at the gate knew anything. Awful.',
	'Terrible delay at the gate and rude staff, I am furious.',
	'Boarding took forever, a disgraceful experience.',
	'Lovely crew at the gate, boarding was smooth. Thank you!',
	'Excellent boarding, on time and friendly staff. Great job.',
	'Quick boarding, the staff were helpful and kind.'
];
const RECENT = [
	'Smooth boarding again, clear announcements. Perfect.',
	'Wonderful staff at the gate, thank you so much!',
	'Boarding was chaos and nobody told us anything. Horrible.',
	'On time and easy boarding, I loved it.'
];

interface Snap {
	touchpoints: { id: string; title: string }[];
}

async function boardingTouchpoint(page: Page) {
	const snap = await page.evaluate(
		() => (globalThis as unknown as { parcoursSession: { snapshot: Snap } }).parcoursSession.snapshot
	);
	return snap.touchpoints.find((t) => /board/i.test(t.title)) ?? snap.touchpoints[0];
}

test('a viewer reads journey health, narrows the period and exports PDF and PNG', async ({
	browser
}, testInfo) => {
	test.setTimeout(180_000);
	const o = await owner(browser, 'Health story');
	// A workspace without a journey says so.
	await o.page.goto(`/w/${o.workspaceId}/health`);
	await expect(o.page.getByTestId('no-journey')).toBeVisible();

	const journeyUrl = await createJourney(o.page, o.workspaceId, TITLE, 'airline');
	const journeyId = journeyUrl.split('/').pop()!;
	const touchpoint = await boardingTouchpoint(o.page);
	const key = await createApiKey(o.page, o.workspaceId);

	// Six items about six weeks ago, four in the last days: 90 days hold ten, 7 days four.
	const now = Date.now();
	const items = [
		...OLD.map((text, i) => ({ text, at: now - (40 + i) * DAY })),
		...RECENT.map((text, i) => ({ text, at: now - (i + 1) * 3_600_000 }))
	];
	const res = await o.page.request.post('/api/v1/feedback', {
		headers: { authorization: `Bearer ${key}` },
		data: {
			items: items.map((item) => ({
				text: item.text,
				channel: 'email',
				received_at: new Date(item.at).toISOString(),
				journey_id: journeyId,
				touchpoint_id: touchpoint.id
			}))
		}
	});
	expect(res.status(), await res.text()).toBe(201);
	const ids = ((await res.json()) as { results: { id: string }[] }).results.map((r) => r.id);
	await expect
		.poll(
			async () => {
				let done = 0;
				for (const id of ids) {
					const item = await o.page.request.get(`/api/v1/feedback/${id}`, {
						headers: { authorization: `Bearer ${key}` }
					});
					if (((await item.json()) as { status: string }).status === 'done') done++;
				}
				return done;
			},
			{ timeout: 30_000 }
		)
		.toBe(ids.length);

	const viewer = await invite(browser, o.page, o.workspaceId, 'Eve Executive', 'viewer');
	const page = viewer.page;

	// The owner can also hand out a viewer invitation from the health page itself.
	await o.page.goto(`/w/${o.workspaceId}/health`);
	await o.page.getByTestId('invite-viewer').click();
	const link = await o.page.getByTestId('viewer-invite').locator('code').innerText();
	expect(link).toMatch(/\/invite\/[a-z2-7]{32}$/);
	await page.goto(link);
	await expect(page.getByText(/invited to join as viewer/i)).toBeVisible();
	await page.goto(`/w/${o.workspaceId}/journeys`);

	// The portfolio: the journey with its health, read-only for a viewer.
	await page.getByRole('link', { name: 'Health', exact: true }).click();
	await expect(page).toHaveURL(new RegExp(`/w/${o.workspaceId}/health$`));
	const row = page.getByTestId('portfolio-row').filter({ hasText: TITLE });
	await expect(row.getByTestId('journey-volume')).toHaveText('10');
	await expect(row.getByTestId('health-score')).toContainText('/ 100');
	await expect(row.getByTestId('sparkline').locator('svg path').first()).toBeVisible();
	await expect(page.getByTestId('invite-viewer')).toHaveCount(0);

	// Drill down.
	await row.getByRole('link', { name: TITLE }).click();
	await expect(page).toHaveURL(new RegExp(`/health/${journeyId}$`));
	await expect(page.getByTestId('report-title')).toHaveText(TITLE);
	const volume = page.getByTestId('journey-headline').getByTestId('journey-volume');
	await expect(volume).toHaveText('10');

	// A shorter period: the URL says so and the figures follow.
	await page.getByLabel('Period').selectOption('7d');
	await page.getByRole('button', { name: 'Apply' }).click();
	await expect(page).toHaveURL(/[?&]range=7d(&|$)/);
	await expect(volume).toHaveText('4');
	await expect(page.getByTestId('health-period')).toContainText('last 7 days');

	// A link with a value the page does not know says what it left out, and shares no such value.
	await expect(page).toHaveURL(/\?range=7d$/);
	await page.goto(`${page.url()}&compare=someday`);
	await expect(page.getByTestId('query-errors')).toContainText('Compare with');
	await expect(volume).toHaveText('4');

	// Share: the link with its query, shown for a manual copy.
	await page.getByTestId('share').click();
	await expect(page.getByTestId('share-link')).toHaveValue(/\/health\/[0-9a-f-]{36}\?range=7d$/);

	// PDF from the server, for the same query.
	await expect(page.getByTestId('export-pdf')).toHaveAttribute(
		'href',
		new RegExp(`/health/${journeyId}/pdf\\?.*range=7d`)
	);
	const pdfDownload = page.waitForEvent('download');
	await page.getByTestId('export-pdf').click();
	const pdf = fs.readFileSync((await (await pdfDownload).path())!);
	expect(pdf.length).toBeGreaterThan(1000);
	expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
	// The document's title, as pdfkit writes an ASCII string in the Info dictionary.
	expect(pdf.toString('latin1')).toContain(`(${TITLE}`);

	// PNG drawn in the browser from the report area.
	const pngDownload = page.waitForEvent('download');
	await page.getByTestId('export-png').click();
	const png = await pngDownload;
	expect(png.suggestedFilename()).toBe(`${TITLE} – health.png`);
	const pngBytes = fs.readFileSync((await png.path())!);
	expect(pngBytes.length).toBeGreaterThan(10_000);
	expect([...pngBytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
	await expect(page.getByTestId('png-error')).toHaveCount(0);
	fs.writeFileSync(testInfo.outputPath('journey-health-export.png'), pngBytes);

	// The charts are drawn: lines with a real size, not empty frames.
	await page.getByLabel('Period').selectOption('90d');
	await page.getByRole('button', { name: 'Apply' }).click();
	await expect(volume).toHaveText('10');
	for (const chart of ['emotion-curve', 'heatmap']) await expect(page.getByTestId(chart)).toBeVisible();
	const curvePaths = page.getByTestId('emotion-curve').locator('svg path');
	await expect(curvePaths.first()).toBeVisible();
	const boxes = await curvePaths.evaluateAll((paths) =>
		paths.map((p) => p.getBoundingClientRect()).map((b) => b.width * b.height)
	);
	expect(boxes.some((area) => area > 100)).toBe(true);
	await expect(page.getByTestId('heatmap').locator('tbody tr').first()).toBeVisible();
	await page.screenshot({ path: testInfo.outputPath('journey-health.png'), fullPage: true });

	await o.ctx.close();
	await viewer.ctx.close();
});
