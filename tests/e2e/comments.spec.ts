/**
 * Comments and mentions between two people on one map: the owner asks a viewer (an executive who may
 * comment but not edit) a question on a card; the viewer is told by the bell, lands on the thread and
 * answers mentioning the owner, who is told in turn; the card's badge counts the open thread until it
 * is resolved. Then deleting the card asks what to do with its thread.
 */
import { expect, test } from '@playwright/test';
import { card, createJourney, invite, openJourney, owner, typeTitle } from './helpers';

const ARTIFACTS = 'tests/.artifacts';
test('two people comment and mention each other; the mentioned one is notified and lands on the thread', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const o = await owner(browser, 'Comments', 'Olivia Owner');
	const v = await invite(browser, o.page, o.workspaceId, 'Victor Vasquez', 'viewer');
	for (const p of [o.page, v.page]) p.on('dialog', (d) => void d.accept());
	const url = await createJourney(o.page, o.workspaceId, 'Online order', 'default');

	await test.step('the owner asks a question on a card and mentions the viewer with the autocomplete', async () => {
		await o.page
			.getByTestId('stage-column')
			.first()
			.click({ position: { x: 40, y: 20 } });
		await o.page.getByTestId('add-touchpoint').click();
		await typeTitle(o.page, 'Product page');
		await card(o.page, 'Product page').click();
		await o.page.getByTestId('comments-button').click();
		const drawer = o.page.getByTestId('comments-drawer');
		await expect(drawer.getByRole('heading', { name: 'On “Product page”' })).toBeVisible();
		const input = drawer.getByTestId('touchpoint-composer').getByTestId('comment-input');
		await input.fill('Is the delivery date clear enough here, ');
		await input.press('End');
		await input.pressSequentially('@v');
		// Names starting with what is typed come first; arrows move, Enter inserts the exact name.
		const options = drawer.getByTestId('mention-option');
		await expect(options).toHaveText(['Victor Vasquez', 'Olivia Owner']);
		await input.press('ArrowDown');
		await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
		await input.press('ArrowUp');
		await expect(options.nth(0)).toHaveAttribute('aria-selected', 'true');
		await o.page.screenshot({ path: `${ARTIFACTS}/comments-autocomplete-en.png` });
		await input.press('Enter');
		await expect(input).toHaveValue('Is the delivery date clear enough here, @Victor Vasquez ');
		await input.pressSequentially('?');
		await input.press('Control+Enter');
		const thread = drawer.getByTestId('touchpoint-threads').getByTestId('thread');
		await expect(thread).toHaveCount(1);
		await expect(thread.locator('.mention')).toHaveText('@Victor Vasquez');
		await expect(card(o.page, 'Product page').getByTestId('comment-badge')).toHaveText('1');
		await expect(o.page.getByTestId('comments-total')).toHaveText('1');
		await o.page.screenshot({ path: `${ARTIFACTS}/comments-drawer-en.png` });
	});

	await test.step('the thread stays with its card when the card moves to another stage', async () => {
		await card(o.page, 'Product page').click();
		await o.page.keyboard.press('Alt+ArrowRight');
		const stageOf = () =>
			o.page.evaluate(() => {
				const s = (
					globalThis as unknown as {
						parcoursSession: {
							snapshot: { stages: { id: string }[]; touchpoints: { title: string; stageId: string }[] };
						};
					}
				).parcoursSession.snapshot;
				const tp = s.touchpoints.find((t) => t.title === 'Product page')!;
				return s.stages.findIndex((st) => st.id === tp.stageId);
			});
		await expect.poll(stageOf).toBe(1);
		await expect(card(o.page, 'Product page').getByTestId('comment-badge')).toHaveText('1');
		const drawer = o.page.getByTestId('comments-drawer');
		await expect(drawer.getByRole('heading', { name: 'On “Product page”' })).toBeVisible();
		await expect(drawer.getByTestId('touchpoint-threads').getByTestId('thread')).toHaveCount(1);
		await expect(drawer.getByTestId('thread-detached')).toHaveCount(0);
	});

	await test.step('the viewer sees the unread count on the bell, opens the notification and lands on the thread', async () => {
		// The viewer is elsewhere in the app: the bell's stream brings the count.
		await expect(v.page.getByTestId('bell-count')).toHaveText('1', { timeout: 10_000 });
		await v.page.getByTestId('bell').click();
		const item = v.page.getByTestId('bell-menu').getByTestId('notification');
		await expect(item).toContainText('Olivia Owner mentioned you on “Online order” · Product page');
		await v.page.screenshot({ path: `${ARTIFACTS}/comments-bell-en.png` });
		await item.getByRole('button').click();
		await expect(v.page).toHaveURL(/\/journeys\/[0-9a-f-]{36}/);
		const drawer = v.page.getByTestId('comments-drawer');
		await expect(drawer).toBeVisible({ timeout: 15_000 });
		const thread = drawer.getByTestId('thread');
		await expect(thread).toHaveCount(1);
		await expect(thread).toBeFocused();
		await expect(thread).toContainText('Is the delivery date clear enough here');
		// The card of the thread is selected, and the map is read-only for a viewer.
		await expect(v.page.getByTestId('read-only-badge')).toBeVisible();
		await expect(drawer.getByRole('heading', { name: 'On “Product page”' })).toBeVisible();
		await expect(v.page.getByTestId('bell-count')).toHaveCount(0);
	});

	await test.step('the viewer replies, mentioning the owner by first name', async () => {
		const drawer = v.page.getByTestId('comments-drawer');
		await drawer.getByTestId('thread-reply').click();
		const input = drawer.getByTestId('reply-composer').getByTestId('comment-input');
		await expect(input).toBeFocused();
		await input.fill('Not really, @olivia: customers ask us by e-mail.');
		await drawer.getByTestId('reply-composer').getByTestId('comment-submit').click();
		await expect(drawer.getByTestId('comment')).toHaveCount(2);
		await expect(drawer.getByTestId('comment').nth(1).locator('.mention')).toHaveText('@olivia');
	});

	await test.step('the owner is notified, sees the reply live, and resolves the thread', async () => {
		await expect(o.page.getByTestId('bell-count')).toHaveText('1', { timeout: 10_000 });
		const drawer = o.page.getByTestId('comments-drawer');
		await expect(drawer.getByTestId('comment')).toHaveCount(2);
		await o.page.getByTestId('bell').click();
		await expect(o.page.getByTestId('bell-menu').getByTestId('notification')).toContainText(
			'Victor Vasquez mentioned you on “Online order” · Product page'
		);
		await o.page.getByTestId('bell').click();
		await drawer.getByTestId('thread-resolve').click();
		await expect(card(o.page, 'Product page').getByTestId('comment-badge')).toHaveCount(0);
		await expect(o.page.getByTestId('comments-total')).toHaveCount(0);
		// Resolved threads are hidden until asked for; the viewer's map follows live.
		await expect(drawer.getByTestId('thread')).toHaveCount(0);
		await drawer.getByTestId('show-resolved').check();
		await expect(drawer.getByTestId('thread')).toHaveAttribute('data-resolved', 'true');
		await expect(v.page.getByTestId('comments-drawer').getByTestId('thread-resolved')).toBeVisible();
		await drawer.getByTestId('thread-reopen').click();
		await expect(card(v.page, 'Product page').getByTestId('comment-badge')).toHaveText('1');
	});

	await test.step('the notifications page lists what happened', async () => {
		await v.page.goto(`/w/${o.workspaceId}/notifications`);
		await expect(v.page.getByTestId('notification')).toHaveCount(1);
		await expect(v.page.getByTestId('notification')).toHaveAttribute('data-unread', 'false');
		await v.page.screenshot({ path: `${ARTIFACTS}/comments-notifications-en.png` });
		await openJourney(v.page, url);
	});

	await test.step('a journey-level thread, and deleting a card keeps its thread on the journey', async () => {
		const drawer = o.page.getByTestId('comments-drawer');
		const input = drawer.getByTestId('journey-composer').getByTestId('comment-input');
		await input.fill('Overall: too many steps before payment.');
		await drawer.getByTestId('journey-composer').getByTestId('comment-submit').click();
		await expect(drawer.getByTestId('journey-threads').getByTestId('thread')).toHaveCount(1);
		// Empty comments are refused where the user types.
		await drawer.getByTestId('journey-composer').getByTestId('comment-submit').click();
		await expect(drawer.getByTestId('journey-composer').getByTestId('comment-error')).toHaveText(
			'Write something before sending.'
		);

		await drawer.getByRole('button', { name: 'Close comments' }).click();
		await card(o.page, 'Product page').click();
		await o.page.keyboard.press('Delete');
		const dialog = o.page.getByTestId('delete-dialog');
		await expect(dialog.getByTestId('delete-threads')).toContainText('(1)');
		await expect(dialog.getByTestId('threads-keep')).toBeChecked();
		await o.page.screenshot({ path: `${ARTIFACTS}/comments-delete-en.png` });
		await dialog.getByTestId('confirm-delete').click();
		await expect(card(o.page, 'Product page')).toHaveCount(0);
		await o.page.getByTestId('comments-button').click();
		const kept = drawer.getByTestId('journey-threads').getByTestId('thread');
		await expect(kept).toHaveCount(2);
		await expect(drawer.getByTestId('thread-detached')).toHaveText('Was on “Product page”, now deleted');
		// Undo brings the card back, and its thread with it.
		await o.page.getByTestId('undo').click();
		await expect(card(o.page, 'Product page').getByTestId('comment-badge')).toHaveText('1');
		await expect(card(v.page, 'Product page').getByTestId('comment-badge')).toHaveText('1');
	});

	await test.step('in French', async () => {
		await v.page.getByTestId('locale-fr').click();
		await expect(v.page.getByTestId('comments-button')).toContainText('Commentaires');
		await v.page.getByTestId('comments-button').click();
		await expect(
			v.page.getByTestId('comments-drawer').getByRole('heading', { name: 'Commentaires' })
		).toBeVisible();
		await expect(v.page.getByTestId('bell')).toHaveAttribute('aria-label', /Notifications/);
		await v.page.screenshot({ path: `${ARTIFACTS}/comments-drawer-fr.png` });
	});

	await o.ctx.close();
	await v.ctx.close();
});
