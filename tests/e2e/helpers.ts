import { expect, type Page } from '@playwright/test';

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
