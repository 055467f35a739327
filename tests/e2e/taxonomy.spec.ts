import { expect, test } from '@playwright/test';
import { createWorkspace, signUp, uniqueEmail } from './helpers';

test('an owner manages the catalogue, places and motives from the workspace settings', async ({ page }) => {
	await signUp(page, 'Tess', uniqueEmail('taxonomy'));
	const ws = await createWorkspace(page, 'Taxonomy e2e');
	await page.goto(`/w/${ws}/settings`);
	await page.getByRole('link', { name: 'Catalogue, places and motives' }).click();
	await expect(page).toHaveURL(`/w/${ws}/settings/taxonomy`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Catalogue, places and motives');

	// Add a product with aliases (keyboard only: type, tab to the next fields, Enter submits).
	const products = page.getByTestId('products');
	await products.getByLabel('Add a product or service').fill('TV OLED 55"');
	await page.keyboard.press('Tab');
	await page.keyboard.press('Tab');
	await page.keyboard.type('OLED 55, téléviseur OLED');
	await page.keyboard.press('Enter');
	await expect(products.getByTestId('product-row')).toHaveCount(1);
	await expect(products.getByTestId('product-row').locator('input[name="aliases"]')).toHaveValue(
		'OLED 55, téléviseur OLED'
	);

	// A name already used (other case, as an alias) is refused under the field, and the typing is kept.
	await products.getByLabel('Add a product or service').fill('oled 55');
	await products.getByRole('button', { name: 'Add', exact: true }).click();
	const error = products.getByTestId('product-add').getByRole('alert');
	await expect(error).toContainText('“oled 55” is already used by “TV OLED 55"”');
	await expect(products.getByLabel('Add a product or service')).toHaveValue('oled 55');
	await expect(products.getByTestId('product-row')).toHaveCount(1);

	// A place of a chosen kind.
	const places = page.getByTestId('places');
	await places.getByLabel('Add a place').fill('Paris-Charles de Gaulle');
	await places.getByLabel('Kind').selectOption('airport');
	await places.getByLabel('Aliases').fill('CDG, Roissy');
	await places.getByRole('button', { name: 'Add', exact: true }).click();
	await expect(places.getByTestId('place-row')).toHaveCount(1);
	await expect(places.getByTestId('place-row').locator('select')).toHaveValue('airport');

	// Motives: the defaults until the first edit, which copies them; then back to the defaults.
	const motives = page.getByTestId('motives');
	await expect(motives.getByTestId('motives-state')).toContainText('built-in motives');
	const count = await motives.getByTestId('motive-row').count();
	expect(count).toBeGreaterThan(10);
	const delay = motives.getByTestId('motive-row').filter({ hasText: 'Delay' });
	await delay.locator('summary').click();
	await delay.getByLabel('Label in English').fill('Late');
	await delay.getByRole('button', { name: /^Save/ }).click();
	await expect(motives.getByTestId('motives-state')).toContainText('its own motive list');
	await expect(motives.getByTestId('motive-row').filter({ hasText: 'Late' })).toHaveCount(1);
	await expect(motives.getByTestId('motive-row')).toHaveCount(count);

	// A new motive without keywords is refused under the keywords field; the form stays open.
	await motives.getByText('Add a motive').click();
	const add = motives.getByTestId('motive-add');
	await add.getByLabel('Label in English').fill('Lounge');
	await add.getByLabel('Label in French').fill('Salon');
	await add.getByRole('button', { name: 'Add', exact: true }).click();
	await expect(add.getByRole('alert')).toContainText('at least one keyword');
	await expect(add.getByLabel('Label in English')).toHaveValue('Lounge');
	await add.getByLabel('Keywords').fill('lounge, salon');
	await add.getByRole('button', { name: 'Add', exact: true }).click();
	await expect(motives.getByTestId('motive-row').filter({ hasText: 'Lounge' })).toHaveCount(1);

	await page.screenshot({ path: 'tests/.artifacts/taxonomy-page.png', fullPage: true });

	page.once('dialog', (d) => d.accept());
	await motives.getByRole('button', { name: 'Reset to defaults' }).click();
	await expect(motives.getByTestId('motives-state')).toContainText('built-in motives');
	await expect(motives.getByTestId('motive-row').filter({ hasText: 'Late' })).toHaveCount(0);
	await expect(motives.getByTestId('motive-row')).toHaveCount(count);
	await expect(motives.getByTestId('motive-row').filter({ hasText: 'Delay' })).toHaveCount(1);
});
