import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { createApiKey, createJourney, openJourney, owner, postFeedback } from './helpers';

/**
 * Exporting a journey map in real Chromium against the built app: the Export menu by keyboard, a PNG
 * drawn in the browser from the map in memory (with live scores), a vector PDF from the server, and
 * the page as it prints.
 */

const ARTIFACTS = 'tests/.artifacts';

test('exports the airline journey as PNG and PDF, and prints the map alone', async ({ browser }) => {
	fs.mkdirSync(ARTIFACTS, { recursive: true });
	const { ctx, page, workspaceId } = await owner(browser, 'Export');
	const url = await createJourney(page, workspaceId, 'Airline trip', 'airline');

	// One customer item, so the picture carries a live score.
	const journeyId = url.split('/').pop()!;
	const touchpointId = await page.evaluate(
		() =>
			(globalThis as unknown as { parcoursSession: { snapshot: { touchpoints: { id: string }[] } } })
				.parcoursSession.snapshot.touchpoints[1].id
	);
	const key = await createApiKey(page, workspaceId);
	await postFeedback(page.request, key, {
		text: 'The baggage fees were hidden until the very end, so annoying.',
		journey_id: journeyId,
		touchpoint_id: touchpointId
	});
	await openJourney(page, url);
	await expect
		.poll(
			() =>
				page.evaluate(
					() => (globalThis as unknown as { parcoursLive: { volume: number } }).parcoursLive.volume
				),
			{
				timeout: 20_000
			}
		)
		.toBeGreaterThan(0);

	// The menu by keyboard: Enter opens it on its first item, Escape closes it back to the button.
	const button = page.getByTestId('export-button');
	await button.focus();
	await page.keyboard.press('Enter');
	await expect(page.getByTestId('export-menu')).toBeVisible();
	await expect(page.getByTestId('export-png')).toBeFocused();
	await page.keyboard.press('Escape');
	await expect(page.getByTestId('export-menu')).toBeHidden();
	await expect(button).toBeFocused();

	// PNG: drawn in the page, downloaded, a real picture of a decent size.
	await button.click();
	const pngDownload = page.waitForEvent('download');
	await page.getByTestId('export-png').click();
	const png = await pngDownload;
	expect(png.suggestedFilename()).toBe('Airline-trip.png');
	const pngBytes = fs.readFileSync((await png.path())!);
	expect(pngBytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
	const width = pngBytes.readUInt32BE(16);
	const height = pngBytes.readUInt32BE(20);
	expect(width).toBeGreaterThanOrEqual(1600);
	expect(height).toBeGreaterThanOrEqual(1000);
	expect(pngBytes.length).toBeGreaterThan(50_000);
	fs.writeFileSync(`${ARTIFACTS}/export-map.png`, pngBytes);
	await expect(page.getByTestId('export-menu')).toBeHidden();

	// PDF: A3, split over pages, from the server.
	await button.click();
	await page.getByTestId('export-paper').selectOption('a3');
	await page.getByTestId('export-layout').selectOption('split');
	await page.getByTestId('export-menu').screenshot({ path: `${ARTIFACTS}/export-menu.png` });
	await expect(page.getByTestId('export-pdf')).toHaveAttribute(
		'href',
		/\/export\/pdf\?paper=a3&layout=split$/
	);
	const pdfDownload = page.waitForEvent('download');
	await page.getByTestId('export-pdf').click();
	const pdf = await pdfDownload;
	expect(pdf.suggestedFilename()).toBe('Airline-trip.pdf');
	const pdfBytes = fs.readFileSync((await pdf.path())!);
	expect(pdfBytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
	expect(pdfBytes.length).toBeGreaterThan(5000);
	// The document's title, as pdfkit writes an ASCII string in the Info dictionary.
	expect(pdfBytes.toString('latin1')).toContain('(Airline trip)');
	fs.writeFileSync(`${ARTIFACTS}/export-map.pdf`, pdfBytes);

	// Printing: the drawn map alone (title, legend), nothing of the app around it.
	await page.emulateMedia({ media: 'print' });
	const printed = page.locator('.parcours-print-map');
	await expect(printed).toBeVisible();
	await expect(printed.locator('text', { hasText: 'Airline trip' }).first()).toBeAttached();
	await expect(page.getByTestId('journey-editor')).toBeHidden();
	await page.screenshot({ path: `${ARTIFACTS}/export-print.png`, fullPage: true });
	await page.emulateMedia({ media: 'screen' });
	await expect(page.getByTestId('journey-editor')).toBeVisible();
	await expect(printed).toBeHidden();

	await ctx.close();
});
