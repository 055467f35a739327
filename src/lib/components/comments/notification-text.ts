/**
 * One line per notification, by kind. Features add their kinds here; an unknown kind still shows
 * something readable (and its link still works), so a newer server never breaks an older page.
 */
import type { Translator } from '$lib/i18n';

export interface NotificationLike {
	kind: string;
	actorName: string | null;
	data: Record<string, unknown>;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

export function notificationText(
	n: NotificationLike,
	t: Translator
): { title: string; excerpt: string | null } {
	const actor = n.actorName ?? t('notifications.someone');
	switch (n.kind) {
		case 'mention': {
			const touchpoint = str(n.data.touchpointTitle);
			const params = { actor, journey: str(n.data.journeyTitle), touchpoint };
			return {
				title: t(touchpoint ? 'notifications.mentionOn' : 'notifications.mention', params),
				excerpt: str(n.data.excerpt) || null
			};
		}
		default:
			return {
				title: str(n.data.title) || t('notifications.generic', { kind: n.kind }),
				excerpt: str(n.data.excerpt) || null
			};
	}
}
