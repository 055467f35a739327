import { expect, type APIRequestContext, type Browser, type Page } from '@playwright/test';

let n = 0;
export function uniqueEmail(prefix: string): string {
	return `${prefix}-${Date.now().toString(36)}${(n++).toString(36)}@example.com`;
}

export const PASSWORD = 'a long passphrase';

export async function signUp(page: Page, name: string, email: string, next = '') {
	await page.goto(`/signup${next ? `?next=${encodeURIComponent(next)}` : ''}`);
	await page.getByLabel('Your name').fill(name);
	await page.getByLabel('E-mail').fill(email);
	await page.getByLabel('Password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Create an account' }).click();
}

export async function signIn(page: Page, email: string, password = PASSWORD) {
	await page.goto('/signin');
	await page.getByLabel('E-mail').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function createWorkspace(page: Page, name: string): Promise<string> {
	await expect(page).toHaveURL(/\/w\/new/);
	await page.getByLabel('Workspace name').fill(name);
	await page.getByRole('button', { name: 'Create workspace' }).click();
	await expect(page).toHaveURL(/\/w\/[0-9a-f-]{36}\/journeys/);
	return /\/w\/([0-9a-f-]{36})\//.exec(page.url())![1];
}

export const VIEWPORT = { width: 1600, height: 900 };

/** A new person in their own browser context (own cookies, IndexedDB and sockets) with a workspace. */
export async function owner(browser: Browser, workspace: string, name = 'Olivia Owner') {
	const ctx = await browser.newContext({ viewport: VIEWPORT });
	const page = await ctx.newPage();
	await signUp(page, name, uniqueEmail('owner'));
	const workspaceId = await createWorkspace(page, workspace);
	return { ctx, page, workspaceId };
}

/** The owner invites someone through the settings page; they sign up on the way and join. */
export async function invite(
	browser: Browser,
	ownerPage: Page,
	workspaceId: string,
	name: string,
	role: 'editor' | 'viewer'
) {
	await ownerPage.goto(`/w/${workspaceId}/settings`);
	await ownerPage.getByLabel('Role of the invited person').selectOption(role);
	await ownerPage.getByRole('button', { name: 'Create invitation link' }).click();
	const link = await ownerPage.getByTestId('invite-link').locator('code').innerText();
	const ctx = await browser.newContext({ viewport: VIEWPORT });
	const page = await ctx.newPage();
	await page.goto(link);
	await page.getByRole('link', { name: 'Create an account' }).click();
	await page.getByLabel('Your name').fill(name);
	await page.getByLabel('E-mail').fill(uniqueEmail(role));
	await page.getByLabel('Password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Create an account' }).click();
	await page.getByRole('button', { name: 'Join the workspace' }).click();
	await expect(page).toHaveURL(new RegExp(`/w/${workspaceId}/journeys`));
	return { ctx, page };
}

/** Creates a journey with the journeys page's form; the app opens the editor on it. */
export async function createJourney(page: Page, workspaceId: string, title: string, template = 'default') {
	await page.goto(`/w/${workspaceId}/journeys`);
	await page.getByLabel('Journey title').fill(title);
	await page.locator('select[name="template"]').selectOption(template);
	await page.getByRole('button', { name: 'Create', exact: true }).click();
	await expect(page).toHaveURL(/\/journeys\/[0-9a-f-]{36}$/);
	await expectLive(page);
	return page.url();
}

/** Opens a journey and waits until its document is synced with the server. */
export async function openJourney(page: Page, url: string) {
	await page.goto(url);
	await expectLive(page);
}

export async function expectLive(page: Page) {
	await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected', {
		timeout: 15_000
	});
}

export async function createApiKey(page: Page, workspaceId: string, name = 'Test key'): Promise<string> {
	await page.goto(`/w/${workspaceId}/settings`);
	await page.getByLabel('Key name').fill(name);
	await page.getByRole('button', { name: 'Create API key' }).click();
	return (await page.getByTestId('api-key').locator('code').innerText()).trim();
}

/** Posts one feedback item through the public API; returns its id. */
export async function postFeedback(
	request: APIRequestContext,
	key: string,
	item: { text: string; journey_id: string; touchpoint_id?: string; channel?: string; received_at?: string }
): Promise<string> {
	const res = await request.post('/api/v1/feedback', {
		headers: { authorization: `Bearer ${key}` },
		data: { channel: 'email', received_at: new Date().toISOString(), ...item }
	});
	expect(res.status(), await res.text()).toBe(201);
	return ((await res.json()) as { id: string }).id;
}

/** A touchpoint card of the open map, by its title. */
export const card = (page: Page, title: string) =>
	page.getByTestId('touchpoint-card').filter({ hasText: title });

/** Types a title into the side panel's focused title field (after creating a touchpoint). */
export async function typeTitle(page: Page, title: string) {
	const input = page.locator('#tp-title');
	await expect(input).toBeFocused();
	await input.fill(title);
	await input.press('Enter');
}
