import { expect, test } from '@playwright/test';
import { createWorkspace, PASSWORD, signIn, signUp, uniqueEmail } from './helpers';

test('sign up, create a workspace, invite a viewer who cannot edit settings, sign out', async ({
	browser
}) => {
	const ownerCtx = await browser.newContext();
	const owner = await ownerCtx.newPage();
	const ownerEmail = uniqueEmail('owner');
	await signUp(owner, 'Olivia Owner', ownerEmail);
	const workspaceId = await createWorkspace(owner, 'Acme CX');
	await expect(owner.getByTestId('workspace-switcher')).toHaveText('Acme CX');

	// The owner creates an invitation link for a viewer.
	await owner.getByRole('link', { name: 'Settings' }).click();
	await owner.getByLabel('Role of the invited person').selectOption('viewer');
	await owner.getByRole('button', { name: 'Create invitation link' }).click();
	const link = await owner.getByTestId('invite-link').locator('code').innerText();
	expect(link).toMatch(/\/invite\/[a-z2-7]{32}$/);
	await expect(owner.getByTestId('toast')).toContainText('Invitation link created');
	await owner.screenshot({ path: 'tests/.artifacts/settings-owner.png', fullPage: true });

	// A second person opens the link, signs up on the way, and joins as viewer.
	const viewerCtx = await browser.newContext();
	const viewer = await viewerCtx.newPage();
	await viewer.goto(link);
	await expect(viewer).toHaveURL(/\/signin\?next=/);
	await viewer.getByRole('link', { name: 'Create an account' }).click();
	await viewer.getByLabel('Your name').fill('Victor Viewer');
	await viewer.getByLabel('E-mail').fill(uniqueEmail('viewer'));
	await viewer.getByLabel('Password').fill(PASSWORD);
	await viewer.getByRole('button', { name: 'Create an account' }).click();
	await expect(viewer.getByRole('heading', { name: 'Join “Acme CX”' })).toBeVisible();
	await expect(viewer.getByText('as Viewer')).toBeVisible();
	await viewer.getByRole('button', { name: 'Join the workspace' }).click();
	await expect(viewer).toHaveURL(new RegExp(`/w/${workspaceId}/journeys`));
	await expect(viewer.getByText('Your role: Viewer')).toBeVisible();

	// The viewer sees settings read-only, and a forged request is refused by the server.
	await viewer.getByRole('link', { name: 'Settings' }).click();
	await expect(viewer.getByTestId('viewer-notice')).toBeVisible();
	await expect(viewer.getByRole('button', { name: 'Create invitation link' })).toHaveCount(0);
	await expect(viewer.getByRole('button', { name: 'Rename' })).toHaveCount(0);
	await expect(viewer.getByTestId('members')).toContainText('Olivia Owner');
	const forged = await viewer.request.post(`/w/${workspaceId}/settings?/rename`, {
		form: { name: 'Hijacked' },
		headers: {
			origin: new URL(viewer.url()).origin,
			accept: 'application/json',
			'x-sveltekit-action': 'true'
		}
	});
	expect(await forged.json()).toMatchObject({ type: 'failure', status: 403 });
	await owner.reload();
	await expect(owner.getByTestId('workspace-switcher')).toHaveText('Acme CX');
	await expect(owner.getByTestId('members')).toContainText('Victor Viewer');

	// Signing out ends the session: the workspace is no longer reachable.
	await viewer.getByTestId('signout').click();
	await expect(viewer).toHaveURL(/\/signin/);
	await viewer.goto(`/w/${workspaceId}/journeys`);
	await expect(viewer).toHaveURL(/\/signin\?next=/);
	await ownerCtx.close();
	await viewerCtx.close();
});

test('a wrong password shows the error, and the 11th rapid wrong sign-in is refused with the retry time', async ({
	page
}) => {
	const email = uniqueEmail('brute');
	await signUp(page, 'Bruno', email);
	await createWorkspace(page, 'Brute');
	await page.getByTestId('signout').click();

	await signIn(page, email, 'not the password');
	const error = page.getByTestId('form-error');
	await expect(error).toHaveText('Wrong e-mail or password.');
	await expect(page.getByLabel('E-mail')).toHaveValue(email);
	for (let i = 2; i <= 10; i++) {
		await page.getByLabel('Password').fill(`wrong ${i}`);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(error).toHaveText('Wrong e-mail or password.');
	}
	// The 11th attempt is refused even with the right password, and says when to retry.
	await page.getByLabel('Password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(error).toHaveText(/Too many sign-in attempts\. Try again in 1[0-5] min\./);
	await expect(page).toHaveURL(/\/signin/);
});

test('switching language changes the interface and is remembered', async ({ page }) => {
	await signUp(page, 'Lena', uniqueEmail('lang'));
	await createWorkspace(page, 'Langues');
	await expect(page.getByRole('link', { name: 'My actions' })).toBeVisible();
	await page.getByTestId('locale-fr').click();
	await expect(page.getByRole('link', { name: 'Mes actions' })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Réglages' })).toBeVisible();
	await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
	await page.reload();
	await expect(page.getByRole('link', { name: 'Mes actions' })).toBeVisible();
	await page.getByRole('link', { name: 'Retours' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Retours clients');
	await page.screenshot({ path: 'tests/.artifacts/feedback-fr.png', fullPage: true });
	await page.getByTestId('locale-en').click();
	await expect(
		page.getByRole('navigation').getByRole('link', { name: 'Feedback', exact: true })
	).toBeVisible();
});

test('the language follows the browser for a new visitor', async ({ browser }) => {
	const ctx = await browser.newContext({ locale: 'fr-FR' });
	const page = await ctx.newPage();
	await page.goto('/signin');
	await expect(page.getByRole('heading', { name: 'Connexion à Parcours' })).toBeVisible();
	await page.screenshot({ path: 'tests/.artifacts/signin-fr.png' });
	await ctx.close();
});

test('keyboard only: the sign-in form can be filled and sent without a mouse', async ({ page }) => {
	const email = uniqueEmail('kbd');
	await signUp(page, 'Kim', email);
	await createWorkspace(page, 'Keys');
	await page.getByTestId('signout').click();
	await page.goto('/signin');
	await page.keyboard.press('Tab'); // skip link
	await page.keyboard.press('Tab');
	await expect(page.getByLabel('E-mail')).toBeFocused();
	await page.keyboard.type(email);
	await page.keyboard.press('Tab');
	await page.keyboard.type(PASSWORD);
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/\/w\/[0-9a-f-]{36}\/journeys/);
});

test('journey list: duplicate, archive, restore and delete (after confirming) from the cards', async ({
	page
}) => {
	await signUp(page, 'Jules', uniqueEmail('cards'));
	await createWorkspace(page, 'Cards');
	await page.getByLabel('Journey title').fill('Checkout');
	await page.getByRole('button', { name: 'Create', exact: true }).click();
	await expect(page).toHaveURL(/\/journeys\/[0-9a-f-]{36}$/);
	await page.goto(page.url().replace(/\/[0-9a-f-]{36}$/, ''));
	const list = page.getByTestId('journey-list');
	const cardOf = (title: string) => list.getByTestId('journey-card').filter({ hasText: title });

	await cardOf('Checkout').getByRole('button', { name: 'Duplicate' }).click();
	await expect(cardOf('Checkout (copy)')).toBeVisible();

	await cardOf('Checkout (copy)').getByRole('button', { name: 'Archive' }).click();
	await expect(cardOf('Checkout (copy)')).toHaveCount(0);
	await page.getByText('Archived journeys (1)').click();
	await page.getByTestId('archived-list').getByRole('button', { name: 'Restore' }).click();
	await expect(cardOf('Checkout (copy)')).toBeVisible();

	page.once('dialog', (d) => d.dismiss());
	await cardOf('Checkout (copy)').getByRole('button', { name: 'Delete' }).click();
	await expect(cardOf('Checkout (copy)')).toBeVisible();
	page.once('dialog', (d) => d.accept());
	await cardOf('Checkout (copy)').getByRole('button', { name: 'Delete' }).click();
	await expect(cardOf('Checkout (copy)')).toHaveCount(0);
	await expect(page.getByTestId('toast').last()).toContainText('Journey deleted');
	await expect(cardOf('Checkout')).toBeVisible();
});

test('an unknown page shows the error in the user’s language with a way back', async ({ page }) => {
	await signUp(page, 'Elsa', uniqueEmail('err'));
	await createWorkspace(page, 'Erreurs');
	await page.getByTestId('locale-fr').click();
	await expect(page.getByRole('link', { name: 'Mes actions' })).toBeVisible();
	const res = await page.goto(`/w/${crypto.randomUUID()}/journeys`);
	expect(res?.status()).toBe(404);
	await expect(page.getByRole('heading', { name: 'Erreur 404' })).toBeVisible();
	await expect(page.getByTestId('error-message')).toHaveText('Introuvable.');
	await page.getByRole('link', { name: "Retour à la page d'accueil" }).click();
	await expect(page).toHaveURL(/\/w\/[0-9a-f-]{36}\/journeys/);
});
