import { roleAllows } from '$lib/access/roles';
import { notFound } from '$lib/server/errors';
import { guard, requireUser } from '$lib/server/http';
import { getJourney } from '$lib/server/journeys';
import { compareVersion, viewVersion } from '$lib/server/versions';
import { listMembers } from '$lib/server/workspaces';
import type { PageServerLoad } from './$types';

/** A past version, read-only; with `?compare=1`, the current map with the differences from it. */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	const user = requireUser(locals, url);
	return guard(locals, url, async () => {
		const { journey, role } = await getJourney(locals.db, user, params.journeyId);
		if (journey.workspaceId !== params.workspaceId) throw notFound();
		const compare = url.searchParams.get('compare') === '1';
		const ref = { workspaceId: params.workspaceId, journeyId: params.journeyId };
		const [shown, members] = await Promise.all([
			compare
				? compareVersion(locals.db, user, ref, params.versionId)
				: viewVersion(locals.db, user, ref, params.versionId).then((v) => ({ ...v, diff: null })),
			listMembers(locals.db, user, journey.workspaceId)
		]);
		return {
			journey: { id: journey.id, title: journey.title },
			me: { id: user.id, name: user.name },
			version: shown.version,
			compare,
			diff: shown.diff,
			// Base64: the page builds a read-only document from it.
			state: Buffer.from(shown.state).toString('base64'),
			canRestore: roleAllows(role, 'version:restore') && journey.archivedAt === null,
			members: members.map((m) => ({ id: m.userId, name: m.name }))
		};
	});
};
