import { describe, expect, it } from 'vitest';
import { translator } from '$lib/i18n';
import { notificationText } from './notification-text';

const en = translator('en');
const fr = translator('fr');

describe('notification text of loops and alerts', () => {
	it('says who assigned what, in which loop and journey, and when it is due', () => {
		const n = {
			kind: 'action_assigned',
			actorName: 'Olivia',
			data: {
				loopTitle: 'Queue',
				actionTitle: 'Second desk',
				journeyTitle: 'Checkout',
				dueDate: '2026-11-25'
			}
		};
		expect(notificationText(n, en).title).toBe(
			'Olivia assigned you “Second desk” in the loop “Queue” (Checkout) · Due 2026-11-25'
		);
		expect(notificationText({ ...n, data: { ...n.data, dueDate: null } }, fr).title).toBe(
			'Olivia vous a confié « Second desk » dans la boucle « Queue » (Checkout)'
		);
		expect(
			notificationText(
				{
					kind: 'follow_up_assigned',
					actorName: null,
					data: { loopTitle: 'Queue', journeyTitle: 'Checkout' }
				},
				en
			).title
		).toBe('Someone asked you to answer a customer in the loop “Queue” (Checkout)');
	});

	it('tells due soon from overdue', () => {
		const data = {
			loopTitle: 'Queue',
			journeyTitle: 'Checkout',
			actionTitle: 'Second desk',
			dueDate: '2026-11-19'
		};
		expect(notificationText({ kind: 'action_due', actorName: null, data }, en).title).toBe(
			'“Second desk” is due 2026-11-19 (loop “Queue”, Checkout)'
		);
		expect(
			notificationText(
				{ kind: 'follow_up_due', actorName: null, data: { ...data, customerName: 'Camille', overdue: true } },
				en
			).title
		).toBe('Answering Camille is overdue since 2026-11-19 (loop “Queue”, Checkout)');
	});

	it('names the alert’s touchpoint, else its motive, with its figures', () => {
		const data = {
			journeyTitle: 'Checkout',
			touchpointTitle: 'Bag drop',
			motive: null,
			negatives: 12,
			expected: 1.234
		};
		expect(notificationText({ kind: 'alert', actorName: null, data }, en)).toEqual({
			title: 'Alert on “Bag drop” (Checkout)',
			excerpt: '12 negative items where about 1.2 were expected'
		});
		expect(
			notificationText(
				{ kind: 'alert', actorName: null, data: { ...data, touchpointTitle: null, motive: 'Delays' } },
				en
			).title
		).toBe('Alert on Checkout: Delays');
		expect(
			notificationText(
				{ kind: 'alert', actorName: null, data: { motive: 'Delays', negatives: 6, expected: 1 } },
				fr
			).title
		).toBe('Alerte sur le motif « Delays »');
	});
});
