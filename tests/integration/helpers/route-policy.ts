/**
 * Who may use each page, form action and endpoint of the app. The access matrix checks that this table
 * names exactly the routes found in src/routes, so a new route or action cannot ship without a line here
 * (and a request for it in the matrix).
 */

/**
 * - `public`: anyone, signed in or not.
 * - `signed-in`: any signed-in user, member of the workspace or not.
 * - `self`: any signed-in user, acting on their own account or session only.
 * - `invitee`: any signed-in user holding the invitation's token.
 * - `api-key`: a workspace API key in `Authorization: Bearer`; a session cookie is not enough.
 * - `viewer` / `editor` / `owner`: a member of the URL's workspace with at least that role.
 * - `member-self`: any member, acting on their own membership or notifications.
 * - `assignee`: editors, and the member an action or follow-up is assigned to (the matrix assigns them to
 *   the editor, so a viewer is someone it is not assigned to).
 * - `author`: the comment's author only (the matrix's comments are the editor's).
 * - `own-or-owner`: the member who created the thing (a comment's author, a journey's creator: the
 *   matrix's are the editor's), or a workspace owner.
 */
export type Access =
	| 'public'
	| 'signed-in'
	| 'self'
	| 'invitee'
	| 'api-key'
	| 'viewer'
	| 'editor'
	| 'owner'
	| 'member-self'
	| 'assignee'
	| 'author'
	| 'own-or-owner';

/** Keys: `PAGE <pattern>`, `ACTION <pattern>?/<name>`, `<METHOD> <pattern>` for endpoints. */
export const ROUTE_POLICY: Record<string, Access> = {
	'PAGE /': 'signed-in',
	'PAGE /account': 'signed-in',
	'ACTION /account?/changePassword': 'self',
	'ACTION /account?/signOutEverywhere': 'self',
	'ACTION /account?/delete': 'self',
	'GET /api/health': 'public',
	'POST /api/v1/feedback': 'api-key',
	'GET /api/v1/feedback/[id]': 'api-key',
	'POST /api/v1/inbound/email': 'api-key',
	'GET /api/v1/openapi.json': 'public',
	'GET /api/v1/workspace': 'api-key',
	'PAGE /f/[slug]': 'public',
	'ACTION /f/[slug]?/default': 'public',
	'PAGE /invite/[token]': 'invitee',
	'ACTION /invite/[token]?/default': 'invitee',
	'PAGE /locale': 'public',
	'ACTION /locale?/default': 'public',
	'PAGE /signin': 'public',
	'ACTION /signin?/default': 'public',
	'PAGE /signout': 'public',
	'ACTION /signout?/default': 'public',
	'PAGE /signup': 'public',
	'ACTION /signup?/default': 'public',
	'PAGE /w/new': 'signed-in',
	'ACTION /w/new?/default': 'signed-in',

	'PAGE /w/[workspaceId]/actions': 'viewer',
	'ACTION /w/[workspaceId]/actions?/status': 'assignee',
	'ACTION /w/[workspaceId]/actions?/note': 'assignee',
	'ACTION /w/[workspaceId]/actions?/record': 'assignee',
	'ACTION /w/[workspaceId]/actions?/waive': 'assignee',
	'GET /w/[workspaceId]/actions/visit': 'viewer',
	'PAGE /w/[workspaceId]/alerts': 'viewer',
	'PAGE /w/[workspaceId]/alerts/[alertId]': 'viewer',
	'ACTION /w/[workspaceId]/alerts/[alertId]?/openLoop': 'editor',

	'PAGE /w/[workspaceId]/feedback': 'viewer',
	'ACTION /w/[workspaceId]/feedback?/correct': 'editor',
	'ACTION /w/[workspaceId]/feedback?/assign': 'editor',
	'ACTION /w/[workspaceId]/feedback?/spam': 'editor',
	'PAGE /w/[workspaceId]/feedback/[itemId]': 'viewer',
	'ACTION /w/[workspaceId]/feedback/[itemId]?/correct': 'editor',
	'ACTION /w/[workspaceId]/feedback/[itemId]?/spam': 'editor',
	'ACTION /w/[workspaceId]/feedback/[itemId]?/addToLoop': 'editor',
	'PAGE /w/[workspaceId]/feedback/collect': 'editor',
	'ACTION /w/[workspaceId]/feedback/collect?/create': 'editor',
	'ACTION /w/[workspaceId]/feedback/collect?/enable': 'editor',
	'ACTION /w/[workspaceId]/feedback/collect?/disable': 'editor',
	'ACTION /w/[workspaceId]/feedback/collect?/delete': 'editor',
	'PAGE /w/[workspaceId]/feedback/import': 'viewer',
	'ACTION /w/[workspaceId]/feedback/import?/start': 'editor',
	'PAGE /w/[workspaceId]/feedback/import/[importId]': 'editor',
	'GET /w/[workspaceId]/feedback/import/[importId]/progress': 'editor',
	'GET /w/[workspaceId]/feedback/import/[importId]/report': 'editor',
	'POST /w/[workspaceId]/feedback/import/upload': 'editor',
	'PAGE /w/[workspaceId]/feedback/new': 'editor',
	'ACTION /w/[workspaceId]/feedback/new?/default': 'editor',

	'PAGE /w/[workspaceId]/health': 'viewer',
	'ACTION /w/[workspaceId]/health?/inviteViewer': 'owner',
	'PAGE /w/[workspaceId]/health/[journeyId]': 'viewer',
	'ACTION /w/[workspaceId]/health/[journeyId]?/inviteViewer': 'owner',
	'GET /w/[workspaceId]/health/[journeyId]/pdf': 'viewer',
	'GET /w/[workspaceId]/health/pdf': 'viewer',

	'PAGE /w/[workspaceId]/journeys': 'viewer',
	'ACTION /w/[workspaceId]/journeys?/create': 'editor',
	'ACTION /w/[workspaceId]/journeys?/import': 'editor',
	'ACTION /w/[workspaceId]/journeys?/rename': 'editor',
	'ACTION /w/[workspaceId]/journeys?/duplicate': 'editor',
	'ACTION /w/[workspaceId]/journeys?/saveTemplate': 'editor',
	'ACTION /w/[workspaceId]/journeys?/archive': 'editor',
	'ACTION /w/[workspaceId]/journeys?/unarchive': 'editor',
	'ACTION /w/[workspaceId]/journeys?/delete': 'own-or-owner',
	'PAGE /w/[workspaceId]/journeys/[journeyId]': 'viewer',
	'GET /w/[workspaceId]/journeys/[journeyId]/comments': 'viewer',
	'POST /w/[workspaceId]/journeys/[journeyId]/comments': 'viewer',
	'PATCH /w/[workspaceId]/journeys/[journeyId]/comments/[commentId]': 'author',
	'DELETE /w/[workspaceId]/journeys/[journeyId]/comments/[commentId]': 'own-or-owner',
	'POST /w/[workspaceId]/journeys/[journeyId]/comments/settle': 'editor',
	'GET /w/[workspaceId]/journeys/[journeyId]/comments/stream': 'viewer',
	'GET /w/[workspaceId]/journeys/[journeyId]/export': 'viewer',
	'GET /w/[workspaceId]/journeys/[journeyId]/export/pdf': 'viewer',
	'GET /w/[workspaceId]/journeys/[journeyId]/live': 'viewer',
	'GET /w/[workspaceId]/journeys/[journeyId]/scores': 'viewer',
	'GET /w/[workspaceId]/journeys/[journeyId]/signals': 'viewer',
	'GET /w/[workspaceId]/journeys/[journeyId]/touchpoints/[touchpointId]/feedback': 'viewer',
	'GET /w/[workspaceId]/journeys/[journeyId]/versions': 'viewer',
	'POST /w/[workspaceId]/journeys/[journeyId]/versions': 'editor',
	'PAGE /w/[workspaceId]/journeys/[journeyId]/versions/[versionId]': 'viewer',
	'DELETE /w/[workspaceId]/journeys/[journeyId]/versions/[versionId]': 'editor',
	'POST /w/[workspaceId]/journeys/[journeyId]/versions/[versionId]/restore': 'editor',

	'PAGE /w/[workspaceId]/loops': 'viewer',
	'PAGE /w/[workspaceId]/loops/[loopId]': 'viewer',
	'ACTION /w/[workspaceId]/loops/[loopId]?/edit': 'editor',
	'ACTION /w/[workspaceId]/loops/[loopId]?/move': 'editor',
	'ACTION /w/[workspaceId]/loops/[loopId]?/link': 'editor',
	'ACTION /w/[workspaceId]/loops/[loopId]?/unlink': 'editor',
	'ACTION /w/[workspaceId]/loops/[loopId]?/addAction': 'editor',
	'ACTION /w/[workspaceId]/loops/[loopId]?/updateAction': 'assignee',
	'ACTION /w/[workspaceId]/loops/[loopId]?/deleteAction': 'editor',
	'ACTION /w/[workspaceId]/loops/[loopId]?/note': 'assignee',
	'ACTION /w/[workspaceId]/loops/[loopId]?/measure': 'editor',
	'ACTION /w/[workspaceId]/loops/[loopId]?/record': 'assignee',
	'ACTION /w/[workspaceId]/loops/[loopId]?/waive': 'assignee',
	'ACTION /w/[workspaceId]/loops/[loopId]?/assign': 'editor',
	'ACTION /w/[workspaceId]/loops/[loopId]?/followUpNow': 'editor',
	'ACTION /w/[workspaceId]/loops/[loopId]?/proactive': 'editor',
	'PAGE /w/[workspaceId]/loops/new': 'viewer',
	'ACTION /w/[workspaceId]/loops/new?/create': 'editor',
	'ACTION /w/[workspaceId]/loops/new?/addTo': 'editor',

	'PAGE /w/[workspaceId]/notifications': 'viewer',
	'ACTION /w/[workspaceId]/notifications?/open': 'member-self',
	'ACTION /w/[workspaceId]/notifications?/readAll': 'member-self',
	'GET /w/[workspaceId]/notifications/stream': 'viewer',

	'PAGE /w/[workspaceId]/settings': 'viewer',
	'ACTION /w/[workspaceId]/settings?/rename': 'owner',
	'ACTION /w/[workspaceId]/settings?/autoVersions': 'owner',
	'ACTION /w/[workspaceId]/settings?/changeRole': 'owner',
	'ACTION /w/[workspaceId]/settings?/removeMember': 'owner',
	'ACTION /w/[workspaceId]/settings?/leave': 'member-self',
	'ACTION /w/[workspaceId]/settings?/deleteWorkspace': 'owner',
	'ACTION /w/[workspaceId]/settings?/createInvite': 'owner',
	'ACTION /w/[workspaceId]/settings?/revokeInvite': 'owner',
	'ACTION /w/[workspaceId]/settings?/createApiKey': 'owner',
	'ACTION /w/[workspaceId]/settings?/revokeApiKey': 'owner',
	'PAGE /w/[workspaceId]/settings/alerts': 'viewer',
	'ACTION /w/[workspaceId]/settings/alerts?/save': 'owner',
	'PAGE /w/[workspaceId]/settings/taxonomy': 'viewer',
	'ACTION /w/[workspaceId]/settings/taxonomy?/saveProduct': 'editor',
	'ACTION /w/[workspaceId]/settings/taxonomy?/deleteProduct': 'editor',
	'ACTION /w/[workspaceId]/settings/taxonomy?/savePlace': 'editor',
	'ACTION /w/[workspaceId]/settings/taxonomy?/deletePlace': 'editor',
	'ACTION /w/[workspaceId]/settings/taxonomy?/saveMotive': 'editor',
	'ACTION /w/[workspaceId]/settings/taxonomy?/deleteMotive': 'editor',
	'ACTION /w/[workspaceId]/settings/taxonomy?/resetMotives': 'editor',
	'PAGE /w/[workspaceId]/settings/webhooks': 'owner',
	'ACTION /w/[workspaceId]/settings/webhooks?/create': 'owner',
	'ACTION /w/[workspaceId]/settings/webhooks?/rotate': 'owner',
	'ACTION /w/[workspaceId]/settings/webhooks?/pause': 'owner',
	'ACTION /w/[workspaceId]/settings/webhooks?/resume': 'owner',
	'ACTION /w/[workspaceId]/settings/webhooks?/test': 'owner',
	'ACTION /w/[workspaceId]/settings/webhooks?/delete': 'owner',
	'PAGE /w/[workspaceId]/templates': 'viewer',
	'ACTION /w/[workspaceId]/templates?/rename': 'editor',
	'ACTION /w/[workspaceId]/templates?/delete': 'editor'
};
