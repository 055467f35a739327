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
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

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
		case 'action_assigned':
		case 'follow_up_assigned':
		case 'action_due':
		case 'follow_up_due':
			return { title: assignmentTitle(n, actor, t), excerpt: null };
		case 'alert': {
			const journey = str(n.data.journeyTitle);
			const touchpoint = str(n.data.touchpointTitle);
			const motive = str(n.data.motive);
			// A motive alert may span the workspace: no journey to name then.
			const title = touchpoint
				? t('notifications.alert', { touchpoint, journey })
				: motive && journey
					? t('notifications.alertMotive', { journey, motive })
					: motive
						? t('notifications.alertWorkspace', { motive })
						: t('notifications.alertJourney', { journey });
			const expected = Math.round(num(n.data.expected) * 10) / 10;
			return {
				title,
				excerpt: t('notifications.alertFigures', { negatives: num(n.data.negatives), expected })
			};
		}
		default:
			return {
				title: str(n.data.title) || t('notifications.generic', { kind: n.kind }),
				excerpt: str(n.data.excerpt) || null
			};
	}
}

/** Assignments and due dates of loop actions and follow-ups. */
function assignmentTitle(n: NotificationLike, actor: string, t: Translator): string {
	const params = {
		actor,
		loop: str(n.data.loopTitle),
		journey: str(n.data.journeyTitle),
		action: str(n.data.actionTitle),
		customer: str(n.data.customerName) || t('notifications.aCustomer'),
		date: str(n.data.dueDate)
	};
	const overdue = n.data.overdue === true;
	switch (n.kind) {
		case 'action_assigned': {
			const title = t('notifications.actionAssigned', params);
			return params.date ? `${title} · ${t('notifications.dueOn', params)}` : title;
		}
		case 'follow_up_assigned':
			return t('notifications.followUpAssigned', params);
		case 'action_due':
			return t(overdue ? 'notifications.actionOverdue' : 'notifications.actionDue', params);
		default:
			return t(overdue ? 'notifications.followUpOverdue' : 'notifications.followUpDue', params);
	}
}
