import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { createWorkspace, signUp, uniqueEmail } from './helpers';

const SHOTS = process.env.E2E_OUTPUT_DIR || 'tests/.artifacts/playwright';

/** A French export: Windows-1252, semicolons, one column the guesses cannot know, one broken row. */
function frenchExport(rows: number): Buffer {
	const lines = ['Référence;Date de réception;Commentaire;Qui'];
	for (let i = 1; i <= rows; i++)
		lines.push(
			`R-${i};${String((i % 27) + 1).padStart(2, '0')}/01/2026 09:30;Très bon accueil en agence, dossier n°${i};Client ${i}`
		);
	lines.push('R-x;01/02/2026;"Guillemet jamais fermé;Client X');
	return Buffer.from(lines.join('\r\n'), 'latin1');
}

test('import a CSV: preview, map a column, follow the progress, download the report, see the items', async ({
	page
}) => {
	await signUp(page, 'Camille', uniqueEmail('csv'));
	const workspaceId = await createWorkspace(page, 'Service client');

	await page.goto(`/w/${workspaceId}/feedback`);
	await page.getByRole('link', { name: 'Import CSV' }).click();
	await expect(page.getByRole('heading', { name: 'Import feedback from a CSV file' })).toBeVisible();

	const rows = 2500;
	await page
		.getByLabel('CSV file')
		.setInputFiles({ name: 'avis.csv', mimeType: 'text/csv', buffer: frenchExport(rows) });

	// The preview reads the start of the file in the page: encoding, delimiter, rows, guessed columns.
	await expect(page.getByTestId('preview-summary')).toContainText(
		'Windows-1252 (Latin-1), separated by semicolons'
	);
	const preview = page.getByTestId('preview');
	await expect(preview.locator('tbody tr').first()).toContainText('Très bon accueil en agence, dossier n°1');
	await expect(page.getByLabel('Text *')).toHaveValue('2');
	await expect(page.getByLabel('Received at')).toHaveValue('1');
	await expect(page.getByLabel('Id in your system')).toHaveValue('0');
	// Without a header row the first line becomes data; the checkbox keeps the keyboard focus.
	const headerBox = page.getByLabel('The first row holds the column names');
	await headerBox.focus();
	await page.keyboard.press('Space');
	await expect(preview.locator('tbody tr').first()).toContainText('Référence');
	await expect(headerBox).toBeFocused();
	await page.keyboard.press('Space');
	await expect(preview.locator('tbody tr').first()).toContainText('R-1');
	await expect(page.getByLabel('Text *')).toHaveValue('2');
	// "Qui" means nothing to the guesses: map it by hand, with the keyboard.
	await expect(page.getByLabel('Customer name')).toHaveValue('');
	await page.getByLabel('Customer name').selectOption({ label: 'Qui' });
	await expect(preview.locator('thead th').nth(3)).toContainText('→ Customer name');
	await page.getByLabel('Default channel').selectOption('store');
	await page.screenshot({ path: `${SHOTS}/csv-import-preview.png`, fullPage: true });

	await page.getByRole('button', { name: 'Import' }).click();
	await expect(page).toHaveURL(new RegExp(`/w/${workspaceId}/feedback/import/[0-9a-f-]{36}$`));
	const progress = page.getByTestId('import-progress');
	await expect(progress).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Import of avis.csv' })).toBeVisible();

	// Reloading does not lose the import: the page reads it back and keeps following it.
	await page.reload();
	await expect(page.getByTestId('import-done')).toBeVisible({ timeout: 60_000 });
	await expect(page.getByTestId('rows')).toContainText(`2,501 of 2,501 rows (100 %)`);
	await expect(page.getByTestId('inserted')).toHaveText('2,500');
	await expect(page.getByTestId('rejected')).toHaveText('1');
	await expect(page.getByTestId('analysed')).toHaveText('2,500 / 2,500', { timeout: 60_000 });
	await page.screenshot({ path: `${SHOTS}/csv-import-done.png`, fullPage: true });

	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByTestId('report-link').click()
	]);
	expect(download.suggestedFilename()).toBe('rejected-rows-avis.csv');
	const report = fs.readFileSync(await download.path(), 'utf8');
	expect(report).toContain('Row,Reason,Original line');
	expect(report).toContain(`${rows + 2},"A quote opens a field and is never closed`);
	expect(report).toContain('R-x;01/02/2026;""Guillemet jamais fermé;Client X');

	await page.getByTestId('see-feedback').click();
	await expect(page).toHaveURL(new RegExp(`/w/${workspaceId}/feedback$`));
	await expect(page.getByTestId('results-count')).toContainText('2,500 items');

	// The same file again adds nothing.
	await page.goto(`/w/${workspaceId}/feedback/import`);
	await page
		.getByLabel('CSV file')
		.setInputFiles({ name: 'avis.csv', mimeType: 'text/csv', buffer: frenchExport(rows) });
	await page.getByLabel('Customer name').selectOption({ label: 'Qui' });
	await page.getByRole('button', { name: 'Import' }).click();
	await expect(page.getByTestId('import-done')).toBeVisible({ timeout: 60_000 });
	await expect(page.getByTestId('inserted')).toHaveText('0');
	await expect(page.getByTestId('duplicates')).toHaveText('2,500');
});

test('in French: an Excel workbook is refused in the page, before any upload, with what to do', async ({
	page
}) => {
	await signUp(page, 'Léa', uniqueEmail('csv-fr'));
	const workspaceId = await createWorkspace(page, 'Tableurs');
	await page.getByTestId('locale-fr').click();
	await expect(page.getByTestId('locale-fr')).toHaveAttribute('aria-pressed', 'true');
	await page.goto(`/w/${workspaceId}/feedback/import`);
	await expect(
		page.getByRole('heading', { name: 'Importer des retours depuis un fichier CSV' })
	).toBeVisible();
	await page.getByLabel('Fichier CSV').setInputFiles({
		name: 'avis.xlsx',
		mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
		buffer: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0])
	});
	await expect(page.getByRole('alert')).toContainText('C’est un classeur Excel');
	await expect(page.getByLabel('Fichier CSV')).toHaveAttribute('aria-invalid', 'true');

	await page
		.getByLabel('Fichier CSV')
		.setInputFiles({ name: 'avis.csv', mimeType: 'text/csv', buffer: frenchExport(3) });
	await expect(page.getByTestId('preview-summary')).toContainText('séparé par des points-virgules');
	await expect(page.getByRole('alert')).toHaveCount(0);
	await page.screenshot({ path: `${SHOTS}/csv-import-preview-fr.png`, fullPage: true });
});
