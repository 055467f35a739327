import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { createWorkspace, signUp, uniqueEmail } from './helpers';

test('an editor creates a public form, a signed-out customer answers it, staff type in a call note', async ({
	browser
}) => {
	const staffCtx = await browser.newContext();
	const staff = await staffCtx.newPage();
	await signUp(staff, 'Erin Editor', uniqueEmail('collect'));
	const workspaceId = await createWorkspace(staff, 'Collect CX');
	await staff.getByLabel('Journey title').fill('Flight to Lisbon');
	await staff.getByLabel('Start from').selectOption('airline');
	await staff.getByRole('button', { name: 'Create', exact: true }).click();
	await expect(staff).toHaveURL(/\/journeys\/[0-9a-f-]{36}$/);

	// A form for one touchpoint, asking for stars and a contact.
	await staff.goto(`/w/${workspaceId}/feedback/collect`);
	await expect(staff.getByRole('heading', { name: 'Collect feedback' })).toBeVisible();
	await expect(staff.getByLabel('Journey')).toHaveValue(/[0-9a-f-]{36}/);
	const touchpoint = staff.getByLabel('Touchpoint');
	const options = await touchpoint.locator('option').allTextContents();
	expect(options.length).toBeGreaterThan(3);
	await touchpoint.selectOption({ index: 2 });
	await staff.getByLabel('Title shown to customers').fill('How was boarding?');
	await staff.getByLabel('Ask for a rating').selectOption('stars');
	await staff.getByRole('button', { name: 'Create the form' }).click();
	await expect(staff.getByTestId('toast')).toContainText('Form created');
	const row = staff.getByTestId('form-row').filter({ hasText: 'How was boarding?' });
	await expect(row).toContainText('Open');
	const link = await row.getByTestId('form-link').innerText();
	expect(link).toMatch(/\/f\/[a-z2-7]{32}$/);
	await staff.screenshot({ path: 'tests/.artifacts/collect-forms.png', fullPage: true });

	// A customer, signed out, in French, answers it.
	const customerCtx = await browser.newContext({ locale: 'fr-FR' });
	const customer = await customerCtx.newPage();
	await customer.goto(link);
	await expect(customer.getByRole('heading', { name: 'How was boarding?' })).toBeVisible();
	await customer
		.getByLabel('Votre avis')
		.fill("L'embarquement a pris une heure, personne ne nous informait.");
	await customer.getByText('★★', { exact: true }).click();
	await customer.getByLabel('Votre nom').fill('Inès');
	await customer.getByLabel('Votre e-mail').fill('ines@example.com');
	await customer.screenshot({ path: 'tests/.artifacts/collect-public.png', fullPage: true });
	// The form refuses answers sent faster than a person can type.
	await customer.waitForTimeout(2100);
	await customer.getByRole('button', { name: 'Envoyer' }).click();
	await expect(customer.getByTestId('thanks')).toContainText('Merci');
	await expect(customer).toHaveURL(/\?sent=1$/);

	// The embed snippet works on another site: the form loads in the frame and takes an answer there.
	const snippet = `<iframe src="${link}?embed=1" title="How was boarding?" width="100%" height="620" style="border:0"></iframe>`;
	// A customer's site on another origin, served for real: Chromium blocks framing a local app from a
	// page it cannot place on the local network (as a route-fulfilled page would be).
	const customerSite = http.createServer((_req, res) => {
		res.writeHead(200, { 'content-type': 'text/html' });
		res.end(`<!doctype html><html><body><h1>Our airline</h1>${snippet}</body></html>`);
	});
	await new Promise<void>((resolve) => customerSite.listen(0, '127.0.0.1', resolve));
	const siteUrl = `http://127.0.0.1:${(customerSite.address() as AddressInfo).port}/`;
	const siteCtx = await browser.newContext();
	const site = await siteCtx.newPage();
	await site.goto(siteUrl);
	const frame = site.frameLocator('iframe');
	await expect(frame.getByRole('heading', { name: 'How was boarding?' })).toBeVisible();
	await frame.getByLabel('Your feedback').fill('Quick boarding today, well done.');
	await site.waitForTimeout(2100);
	await frame.getByRole('button', { name: 'Send' }).click();
	await expect(frame.getByTestId('thanks')).toBeVisible();
	await site.screenshot({ path: 'tests/.artifacts/collect-embedded.png' });
	await siteCtx.close();
	customerSite.close();

	// It arrives: the collect page lists it, and analysis catches up.
	await staff.reload();
	const recent = staff
		.getByTestId('recent')
		.locator('li')
		.filter({ hasText: "L'embarquement a pris une heure" });
	await expect(recent).toContainText('Public form');
	await expect(staff.getByTestId('recent')).toContainText('Quick boarding today, well done.');
	await expect(async () => {
		await staff.reload();
		await expect(
			staff
				.getByTestId('recent')
				.locator('li')
				.filter({ hasText: "L'embarquement" })
				.getByTestId('recent-status')
		).toHaveText('analysed', { timeout: 1000 });
	}).toPass({ timeout: 20_000 });

	// Closing the form makes its link answer 404.
	await row.getByRole('button', { name: 'Close' }).click();
	await expect(staff.getByTestId('toast').last()).toContainText('Form closed');
	const closed = await customer.goto(link);
	expect(closed?.status()).toBe(404);

	// Staff type in a call note, keyboard only, and stay to add another.
	await staff.getByTestId('manual-link').click();
	await expect(staff.getByRole('heading', { name: 'Add feedback' })).toBeVisible();
	await staff
		.getByLabel('What the customer said')
		.fill('Called about a lost suitcase, very upset, third call.');
	await expect(staff.getByLabel('Channel')).toHaveValue('phone');
	await staff.getByLabel('Journey').selectOption({ label: 'Flight to Lisbon' });
	await staff.getByLabel('Name').fill('Paul');
	await staff.getByLabel('Scale').selectOption('nps');
	await staff.getByLabel('Score').fill('1');
	await staff.screenshot({ path: 'tests/.artifacts/collect-manual.png', fullPage: true });
	await staff.getByTestId('manual-save-another').focus();
	await staff.keyboard.press('Enter');
	await expect(staff.getByTestId('toast').last()).toContainText('Feedback saved');
	await expect(staff.getByLabel('What the customer said')).toHaveValue('');
	await expect(staff.getByLabel('What the customer said')).toBeFocused();
	await expect(staff.getByLabel('Journey')).toHaveValue(/[0-9a-f-]{36}/);

	// A second note, saved to the inbox.
	await staff.getByLabel('What the customer said').fill('In store: the staff member was very helpful.');
	await staff.getByLabel('Channel').selectOption('store');
	await staff.getByTestId('manual-save').click();
	await expect(staff).toHaveURL(new RegExp(`/w/${workspaceId}/feedback\\?added=1$`));

	await staff.goto(`/w/${workspaceId}/feedback/collect`);
	await expect(staff.getByTestId('recent')).toContainText('Called about a lost suitcase');
	await expect(staff.getByTestId('recent')).toContainText('In store: the staff member was very helpful.');
	await expect(staff.getByTestId('recent').locator('li').first()).toContainText('Typed in');

	await staffCtx.close();
	await customerCtx.close();
});

test('the collect pages in French, a refusal shown at its field', async ({ browser }) => {
	const ctx = await browser.newContext();
	const page = await ctx.newPage();
	await signUp(page, 'Fanny Français', uniqueEmail('collect-fr'));
	const workspaceId = await createWorkspace(page, 'Collecte FR');
	await page.getByTestId('locale-fr').click();
	await expect(page.getByRole('link', { name: 'Collecter' })).toBeVisible();
	await page.getByRole('link', { name: 'Collecter' }).click();
	await expect(page).toHaveURL(new RegExp(`/w/${workspaceId}/feedback/collect$`));
	await expect(page.getByRole('heading', { name: 'Collecter les avis' })).toBeVisible();
	// No journey yet: the page says what to do first.
	await expect(page.getByText('Créez d’abord un parcours')).toBeVisible();
	await page.screenshot({ path: 'tests/.artifacts/collect-fr.png', fullPage: true });
	await page.getByTestId('manual-link').click();
	await expect(page.getByRole('heading', { name: 'Saisir un avis' })).toBeVisible();
	await expect(page.getByLabel('Canal')).toHaveValue('phone');
	// A refusal shows next to its field, in French, and keeps what was typed.
	await page.getByLabel('Ce que le client a dit').fill('Appel : la facture est fausse.');
	await page.getByLabel('Échelle').selectOption('csat');
	await page.getByLabel('Score').fill('7');
	await page.getByLabel('Score').evaluate((el: HTMLInputElement) => el.removeAttribute('max'));
	await page.getByTestId('manual-save').click();
	await expect(page.getByText('Choisissez une note de 1 à 5.').first()).toBeVisible();
	await expect(page.getByLabel('Ce que le client a dit')).toHaveValue('Appel : la facture est fausse.');
	await page.screenshot({ path: 'tests/.artifacts/collect-manual-fr.png', fullPage: true });
	await ctx.close();
});
