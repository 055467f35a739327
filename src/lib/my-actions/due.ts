/**
 * Due dates of loop actions and follow-ups are days (`YYYY-MM-DD`, no time). These rules say when one
 * is overdue, when it is due soon, and in which order a to-do list shows them. Days are UTC days.
 */

/** The UTC day of an instant, as `YYYY-MM-DD`. */
export function dayOf(at: Date): string {
	return at.toISOString().slice(0, 10);
}

/** Overdue: not finished and due before today. Due today is not late yet. */
export function isOverdue(dueDate: string | null, finished: boolean, now: Date): boolean {
	return !finished && dueDate !== null && dueDate < dayOf(now);
}

/** How far ahead a due date counts as "soon". */
export const DUE_SOON_MS = 24 * 3_600_000;

/** The last due day that is "due soon" at `now`: a day counts from its start, so within 24 h. */
export function dueSoonHorizon(now: Date): string {
	return dayOf(new Date(now.getTime() + DUE_SOON_MS));
}

/** Soonest due first, undated last; ties by journey, then loop title, so the list does not jump. */
export function byDueDate(
	a: { dueDate: string | null; journeyTitle: string; loopTitle: string },
	b: { dueDate: string | null; journeyTitle: string; loopTitle: string }
): number {
	if (a.dueDate !== b.dueDate) {
		if (a.dueDate === null) return 1;
		if (b.dueDate === null) return -1;
		return a.dueDate < b.dueDate ? -1 : 1;
	}
	return a.journeyTitle.localeCompare(b.journeyTitle) || a.loopTitle.localeCompare(b.loopTitle);
}
