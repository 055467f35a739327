/**
 * The access matrix through the built app: every page, form action and endpoint of src/routes (each
 * named in the policy table) and the collaboration WebSocket, as anonymous, a member of another
 * workspace, viewer, editor and owner. Every request is one that succeeds for someone allowed (real ids,
 * valid fields); a refused role gets 401/403/404, a redirect to sign-in or a failed action with such a
 * status, and on PostgreSQL a digest of every table read directly shows nothing changed. On PGlite the
 * server process owns the data directory, so the digest is checked on PostgreSQL only.
 */
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	Client,
	createJourneyByForm,
	createWorkspace,
	inviteLink,
	signUp,
	startTestServer,
	type TestServer
} from './helpers/server';
import { engines } from './helpers/db';
import { routeKeys } from './helpers/matrix-routes';
import {
	action,
	createApiKey,
	databaseDigest,
	disposableMember,
	firstUuid,
	formBody,
	newHiddenId,
	PASSWORD,
	postFeedback,
	ROLES,
	seedWorld,
	webhookReceiver,
	type Role,
	type World
} from './helpers/matrix-world';
import { ROUTE_POLICY, type Access } from './helpers/route-policy';

const ALLOWED: Record<Exclude<Access, 'api-key'>, readonly Role[]> = {
	public: ROLES,
	'signed-in': ['outsider', 'viewer', 'editor', 'owner'],
	self: ['outsider', 'viewer', 'editor', 'owner'],
	invitee: ['outsider', 'viewer', 'editor', 'owner'],
	viewer: ['viewer', 'editor', 'owner'],
	'member-self': ['viewer', 'editor', 'owner'],
	editor: ['editor', 'owner'],
	assignee: ['editor', 'owner'],
	'own-or-owner': ['editor', 'owner'],
	author: ['editor'],
	owner: ['owner']
};

interface Req {
	/** Values for the pattern's parameters, over the seeded ones. */
	params?: Record<string, string>;
	query?: string;
	form?: Record<string, string | string[]>;
	json?: unknown;
	body?: BodyInit;
	headers?: Record<string, string>;
	/** Someone standing for the role (a disposable account for actions that end it). */
	as?: Client;
}
type Factory = (w: World, role: Role) => Promise<Req> | Req;

/**
 * One valid request per action and write endpoint (pages and reads use the seeded ids). Actions that
 * consume what they act on get a fresh object per attempt.
 */
function factories(): Record<string, Factory> {
	const o = (w: World) => w.actors.owner;
	const loopPage = (w: World) => `/w/${w.ws}/loops/${w.loop}`;
	const freshJourney = (w: World) => createJourneyByForm(o(w), w.ws, 'Fresh');
	const freshItem = (w: World) =>
		postFeedback(w, {
			text: 'Queue too long at the desk',
			channel: 'store',
			journey_id: w.journey,
			customer: { name: 'Paul', contact: 'paul@example.com' }
		});
	const freshLoop = async (w: World) => {
		const res = await o(w).post(`/w/${w.ws}/loops/new?/create`, {
			title: 'Fresh loop',
			problem: 'Customers wait',
			journeyId: w.journey,
			touchpointIds: w.touchpoint
		});
		return res.headers.get('location')!.split('/').pop()!;
	};
	const freshFollowUp = (w: World) =>
		newHiddenId(o(w), loopPage(w), 'id', () =>
			action(o(w), `${loopPage(w)}?/proactive`, {
				customers: 'Lea <lea@example.com>',
				assigneeId: w.userIds.editor
			})
		);
	const freshAction = (w: World) =>
		newHiddenId(o(w), loopPage(w), 'id', () =>
			action(o(w), `${loopPage(w)}?/addAction`, { title: 'Call the supplier', ownerId: w.userIds.editor })
		);
	const freshComment = async (w: World) => {
		const res = await w.actors.editor.request(`/w/${w.ws}/journeys/${w.journey}/comments`, {
			method: 'POST',
			body: JSON.stringify({ body: 'A fresh remark' }),
			headers: { 'content-type': 'application/json', accept: 'application/json' }
		});
		return ((await res.json()) as { comment: { id: string } }).comment.id;
	};
	const taxonomy = (w: World) => `/w/${w.ws}/settings/taxonomy`;
	const freshEntry = (w: World, kind: 'Product' | 'Place') =>
		newHiddenId(o(w), taxonomy(w), 'id', () =>
			action(o(w), `${taxonomy(w)}?/save${kind}`, {
				form: kind,
				id: '',
				name: `Fresh ${kind} ${Math.random().toString(36).slice(2, 8)}`,
				kind: kind === 'Product' ? 'product' : 'store',
				aliases: ''
			})
		);
	const motive = (key: string) => ({
		form: 'motive',
		key,
		labelEn: `Motive ${Math.random().toString(36).slice(2, 8)}`,
		labelFr: `Motif ${Math.random().toString(36).slice(2, 8)}`,
		keywords: 'queue, waiting',
		stage: 'sale'
	});
	const freshHook = async (w: World) =>
		firstUuid(
			(
				await action(o(w), `/w/${w.ws}/settings/webhooks?/create`, {
					url: `${w.hookUrl}/x`,
					events: 'loop.created'
				})
			).data ?? ''
		);
	const settings = (w: World) => `/w/${w.ws}/settings`;
	const newMember = (w: World) =>
		newHiddenId(o(w), settings(w), 'userId', () => disposableMember(w, 'viewer'));
	const csv = () => {
		const f = new FormData();
		f.append('file', new Blob(['text,channel\nSlow check-in,store\n']), 'items.csv');
		return f;
	};
	const journeyFile = async (w: World) => {
		const exported = await (await o(w).request(`/w/${w.ws}/journeys/${w.journey}/export`)).text();
		const f = new FormData();
		f.append('file', new Blob([exported]), 'trip.parcours.json');
		return f;
	};

	return {
		'ACTION /account?/changePassword': async (w, role) => {
			const as = role === 'anonymous' ? undefined : await disposableUser(w);
			return {
				as,
				form: { current: PASSWORD, next: 'another long passphrase', confirm: 'another long passphrase' }
			};
		},
		'ACTION /account?/signOutEverywhere': async (w, role) => ({
			as: role === 'anonymous' ? undefined : await disposableUser(w)
		}),
		'ACTION /account?/delete': async (w, role) => {
			const as = await disposableUser(w);
			const confirm = as.cookies.get('matrix_email')!;
			// Anonymous sends the same confirmation without the session.
			if (role === 'anonymous') as.cookies.delete('parcours_session');
			return { as, form: { confirm } };
		},
		'ACTION /f/[slug]?/default': (w) => ({
			form: { text: 'Lovely crew', started: w.formStarted, website: '' }
		}),
		'PAGE /invite/[token]': async (w) => ({ params: { token: await inviteToken(w) } }),
		'ACTION /invite/[token]?/default': async (w, role) => ({
			params: { token: await inviteToken(w) },
			as: role === 'anonymous' ? undefined : await disposableUser(w)
		}),
		'ACTION /locale?/default': () => ({ form: { locale: 'en', redirect: '/' } }),
		// Signing in or up replaces the client's session: a copy of the role's client does it.
		'ACTION /signin?/default': async (w, role) => {
			const as = role === 'anonymous' ? await disposableUser(w) : copyOf(w.actors[role]);
			const email = as.cookies.get('matrix_email') ?? `${role}@example.com`;
			if (role === 'anonymous') as.cookies.delete('parcours_session');
			return { as, form: { email, password: PASSWORD, next: '/' } };
		},
		'ACTION /signout?/default': async (w, role) => ({
			as: role === 'anonymous' ? undefined : await disposableUser(w)
		}),
		'ACTION /signup?/default': (w, role) => {
			const n = Math.random().toString(36).slice(2, 10);
			return {
				as: copyOf(w.actors[role]),
				form: { name: `New ${n}`, email: `new-${n}@example.com`, password: PASSWORD, next: '/' }
			};
		},
		'ACTION /w/new?/default': () => ({ form: { name: 'Another workspace' } }),

		'ACTION /w/[workspaceId]/actions?/status': async (w) => ({
			form: { id: await freshAction(w), status: 'doing' }
		}),
		'ACTION /w/[workspaceId]/actions?/note': (w) => ({
			form: { id: w.loopAction, body: 'Called the supplier' }
		}),
		'ACTION /w/[workspaceId]/actions?/record': async (w) => ({
			form: { id: await freshFollowUp(w), method: 'email', outcome: 'satisfied', note: 'Apologised' }
		}),
		'ACTION /w/[workspaceId]/actions?/waive': async (w) => ({
			form: { id: await freshFollowUp(w), reason: 'Customer unreachable' }
		}),
		'GET /w/[workspaceId]/actions/visit': (w) => ({
			query: `journey=${w.journey}&touchpoint=${w.touchpoint}`
		}),
		'ACTION /w/[workspaceId]/alerts/[alertId]?/openLoop': (w) => ({ form: { journeyId: w.journey } }),

		'ACTION /w/[workspaceId]/feedback?/correct': (w) => ({
			form: { itemId: w.item, field: 'polarity', value: 'negative' }
		}),
		'ACTION /w/[workspaceId]/feedback?/assign': (w) => ({
			form: { ids: w.item, touchpoint: `${w.journey}:${w.touchpoint}` }
		}),
		'ACTION /w/[workspaceId]/feedback?/spam': async (w) => ({ form: { ids: await freshItem(w), spam: '1' } }),
		'ACTION /w/[workspaceId]/feedback/[itemId]?/correct': () => ({
			form: { field: 'intent', value: 'complaint' }
		}),
		'ACTION /w/[workspaceId]/feedback/[itemId]?/spam': async (w) => ({
			params: { itemId: await freshItem(w) },
			form: { spam: '1' }
		}),
		'ACTION /w/[workspaceId]/feedback/[itemId]?/addToLoop': async (w) => ({
			params: { itemId: await freshItem(w) },
			form: { loopId: w.loop }
		}),
		'ACTION /w/[workspaceId]/feedback/collect?/create': (w) => ({
			form: {
				journeyId: w.journey,
				touchpointId: w.touchpoint,
				title: 'Another form',
				askRating: '',
				askContact: ''
			}
		}),
		'ACTION /w/[workspaceId]/feedback/collect?/enable': (w) => ({ form: { formId: w.formId } }),
		'ACTION /w/[workspaceId]/feedback/collect?/disable': (w) => ({ form: { formId: w.formId } }),
		'ACTION /w/[workspaceId]/feedback/collect?/delete': async (w) => ({
			form: {
				formId: await newHiddenId(o(w), `/w/${w.ws}/feedback/collect`, 'formId', () =>
					action(o(w), `/w/${w.ws}/feedback/collect?/create`, {
						journeyId: w.journey,
						touchpointId: w.touchpoint,
						title: 'Doomed form',
						askRating: '',
						askContact: ''
					})
				)
			}
		}),
		'ACTION /w/[workspaceId]/feedback/import?/start': () => ({ body: csv() }),
		'POST /w/[workspaceId]/feedback/import/upload': () => ({ body: csv() }),
		'ACTION /w/[workspaceId]/feedback/new?/default': (w) => ({
			form: { text: 'Told at the counter: the lounge was closed', channel: 'store', journeyId: w.journey }
		}),
		'ACTION /w/[workspaceId]/health?/inviteViewer': () => ({}),
		'ACTION /w/[workspaceId]/health/[journeyId]?/inviteViewer': () => ({}),

		'ACTION /w/[workspaceId]/journeys?/create': () => ({ form: { title: 'Created', template: 'default' } }),
		'ACTION /w/[workspaceId]/journeys?/import': async (w) => ({ body: await journeyFile(w) }),
		'ACTION /w/[workspaceId]/journeys?/rename': (w) => ({ form: { journeyId: w.journey, title: 'Trip' } }),
		'ACTION /w/[workspaceId]/journeys?/duplicate': (w) => ({ form: { journeyId: w.journey } }),
		'ACTION /w/[workspaceId]/journeys?/saveTemplate': (w) => ({
			form: { journeyId: w.journey, name: 'Saved' }
		}),
		'ACTION /w/[workspaceId]/journeys?/archive': async (w) => ({
			form: { journeyId: await freshJourney(w) }
		}),
		'ACTION /w/[workspaceId]/journeys?/unarchive': async (w) => {
			const journeyId = await freshJourney(w);
			await action(o(w), `/w/${w.ws}/journeys?/archive`, { journeyId });
			return { form: { journeyId } };
		},
		// The editor's own journey: editors delete the journeys they created, owners any.
		'ACTION /w/[workspaceId]/journeys?/delete': async (w) => ({
			form: { journeyId: await createJourneyByForm(w.actors.editor, w.ws, 'Mine') }
		}),
		'POST /w/[workspaceId]/journeys/[journeyId]/comments': () => ({ json: { body: 'A question' } }),
		'PATCH /w/[workspaceId]/journeys/[journeyId]/comments/[commentId]': async (w) => ({
			params: { commentId: await freshComment(w) },
			json: { body: 'Edited' }
		}),
		'DELETE /w/[workspaceId]/journeys/[journeyId]/comments/[commentId]': async (w) => ({
			params: { commentId: await freshComment(w) }
		}),
		'POST /w/[workspaceId]/journeys/[journeyId]/comments/settle': (w) => ({
			json: { fate: 'keep', touchpoints: [{ id: w.touchpoint, title: 'Check-in' }] }
		}),
		'POST /w/[workspaceId]/journeys/[journeyId]/versions': () => ({ json: { name: 'Named' } }),
		'DELETE /w/[workspaceId]/journeys/[journeyId]/versions/[versionId]': async (w) => {
			const res = await o(w).request(`/w/${w.ws}/journeys/${w.journey}/versions`, {
				method: 'POST',
				body: JSON.stringify({ name: 'Doomed' }),
				headers: { 'content-type': 'application/json', accept: 'application/json' }
			});
			return { params: { versionId: ((await res.json()) as { version: { id: string } }).version.id } };
		},
		'POST /w/[workspaceId]/journeys/[journeyId]/versions/[versionId]/restore': () => ({}),

		'ACTION /w/[workspaceId]/loops/[loopId]?/edit': () => ({ form: { title: 'Late gates' } }),
		'ACTION /w/[workspaceId]/loops/[loopId]?/move': async (w) => ({
			params: { loopId: await freshLoop(w) },
			form: { to: 'solve' }
		}),
		'ACTION /w/[workspaceId]/loops/[loopId]?/link': async (w) => ({ form: { itemIds: await freshItem(w) } }),
		'ACTION /w/[workspaceId]/loops/[loopId]?/unlink': async (w) => {
			const item = await freshItem(w);
			await action(o(w), `${loopPage(w)}?/link`, { itemIds: item });
			return { form: { id: item } };
		},
		'ACTION /w/[workspaceId]/loops/[loopId]?/addAction': () => ({ form: { title: 'Another action' } }),
		'ACTION /w/[workspaceId]/loops/[loopId]?/updateAction': async (w) => ({
			form: { id: await freshAction(w), status: 'doing' }
		}),
		'ACTION /w/[workspaceId]/loops/[loopId]?/deleteAction': async (w) => ({
			form: {
				id: await newHiddenId(o(w), loopPage(w), 'id', () =>
					action(o(w), `${loopPage(w)}?/addAction`, { title: 'Doomed action' })
				)
			}
		}),
		'ACTION /w/[workspaceId]/loops/[loopId]?/note': (w) => ({ form: { id: w.loopAction, note: 'On it' } }),
		'ACTION /w/[workspaceId]/loops/[loopId]?/measure': () => ({}),
		'ACTION /w/[workspaceId]/loops/[loopId]?/record': async (w) => ({
			form: { id: await freshFollowUp(w), method: 'phone', outcome: 'satisfied', note: 'Called', message: '' }
		}),
		'ACTION /w/[workspaceId]/loops/[loopId]?/waive': async (w) => ({
			form: { id: await freshFollowUp(w), reason: 'No contact' }
		}),
		'ACTION /w/[workspaceId]/loops/[loopId]?/assign': (w) => ({
			form: { id: w.followUp, assigneeId: w.userIds.editor }
		}),
		'ACTION /w/[workspaceId]/loops/[loopId]?/followUpNow': () => ({}),
		'ACTION /w/[workspaceId]/loops/[loopId]?/proactive': () => ({
			form: { customers: 'Tom <tom@example.com>' }
		}),
		'ACTION /w/[workspaceId]/loops/new?/create': (w) => ({
			form: { title: 'New loop', journeyId: w.journey, touchpointIds: w.touchpoint, problem: 'Queues' }
		}),
		'ACTION /w/[workspaceId]/loops/new?/addTo': async (w) => ({
			form: { loopId: w.loop, itemIds: await freshItem(w) }
		}),

		'ACTION /w/[workspaceId]/notifications?/open': (w, role) => ({
			form: { id: w.notifications[role as 'owner'] ?? w.notifications.viewer }
		}),
		'ACTION /w/[workspaceId]/notifications?/readAll': () => ({}),

		'ACTION /w/[workspaceId]/settings?/rename': () => ({ form: { name: 'Matrix' } }),
		'ACTION /w/[workspaceId]/settings?/autoVersions': () => ({ form: { autoVersionsKept: '50' } }),
		'ACTION /w/[workspaceId]/settings?/changeRole': async (w) => ({
			form: { userId: await newMember(w), role: 'editor' }
		}),
		'ACTION /w/[workspaceId]/settings?/removeMember': async (w) => ({ form: { userId: await newMember(w) } }),
		'ACTION /w/[workspaceId]/settings?/leave': async (w, role) => ({
			as: role === 'anonymous' || role === 'outsider' ? undefined : await disposableMember(w, role)
		}),
		'ACTION /w/[workspaceId]/settings?/deleteWorkspace': async (w, role) => {
			if (role !== 'owner') return { form: { confirm: 'Matrix' } };
			// The owner deletes a workspace of their own made for the attempt.
			const ws = await createWorkspace(o(w), 'Doomed');
			return { params: { workspaceId: ws }, form: { confirm: 'Doomed' } };
		},
		'ACTION /w/[workspaceId]/settings?/createInvite': () => ({ form: { role: 'viewer' } }),
		'ACTION /w/[workspaceId]/settings?/revokeInvite': async (w) => ({
			form: {
				inviteId: await newHiddenId(o(w), settings(w), 'inviteId', () =>
					action(o(w), `${settings(w)}?/createInvite`, { role: 'viewer' })
				)
			}
		}),
		'ACTION /w/[workspaceId]/settings?/createApiKey': () => ({ form: { name: 'Another key' } }),
		'ACTION /w/[workspaceId]/settings?/revokeApiKey': async (w) => ({
			form: {
				keyId: await newHiddenId(o(w), settings(w), 'keyId', () => createApiKey(o(w), w.ws))
			}
		}),
		'ACTION /w/[workspaceId]/settings/alerts?/save': () => ({
			form: {
				windowMinutes: '120',
				baselineDays: '14',
				bucketMinutes: '5',
				minNegatives: '2',
				riseFactor: '1',
				alpha: '0.05',
				calmAlpha: '0.05',
				priorNegativesPerDay: '0',
				priorDays: '0',
				scoreDrop: '0.4',
				minScoreVolume: '8',
				quietMinutes: '60',
				maxItems: '200'
			}
		}),
		'ACTION /w/[workspaceId]/settings/taxonomy?/saveProduct': () => ({
			form: { form: 'product', id: '', name: `Lounge ${Math.random()}`, kind: 'service', aliases: '' }
		}),
		'ACTION /w/[workspaceId]/settings/taxonomy?/deleteProduct': async (w) => ({
			form: { form: 'product', id: await freshEntry(w, 'Product') }
		}),
		'ACTION /w/[workspaceId]/settings/taxonomy?/savePlace': () => ({
			form: { form: 'place', id: '', name: `Gate ${Math.random()}`, kind: 'airport', aliases: '' }
		}),
		'ACTION /w/[workspaceId]/settings/taxonomy?/deletePlace': async (w) => ({
			form: { form: 'place', id: await freshEntry(w, 'Place') }
		}),
		'ACTION /w/[workspaceId]/settings/taxonomy?/saveMotive': () => ({ form: motive('') }),
		'ACTION /w/[workspaceId]/settings/taxonomy?/deleteMotive': async (w) => ({
			form: {
				form: 'motive',
				key: await newHiddenId(
					o(w),
					taxonomy(w),
					'key',
					() => action(o(w), `${taxonomy(w)}?/saveMotive`, motive('')),
					'[\\w-]+'
				)
			}
		}),
		'ACTION /w/[workspaceId]/settings/taxonomy?/resetMotives': () => ({ form: { form: 'motives' } }),
		'ACTION /w/[workspaceId]/settings/webhooks?/create': (w) => ({
			form: { url: `${w.hookUrl}/created`, events: 'loop.created' }
		}),
		'ACTION /w/[workspaceId]/settings/webhooks?/rotate': (w) => ({ form: { webhookId: w.webhook } }),
		'ACTION /w/[workspaceId]/settings/webhooks?/pause': (w) => ({ form: { webhookId: w.webhook } }),
		'ACTION /w/[workspaceId]/settings/webhooks?/resume': (w) => ({ form: { webhookId: w.webhook } }),
		'ACTION /w/[workspaceId]/settings/webhooks?/test': (w) => ({ form: { webhookId: w.webhook } }),
		'ACTION /w/[workspaceId]/settings/webhooks?/delete': async (w) => ({
			form: { webhookId: await freshHook(w) }
		}),
		'ACTION /w/[workspaceId]/templates?/rename': (w) => ({
			form: { templateId: w.template, name: 'Renamed' }
		}),
		'ACTION /w/[workspaceId]/templates?/delete': async (w) => ({
			form: {
				templateId: await newHiddenId(o(w), `/w/${w.ws}/templates`, 'templateId', () =>
					action(o(w), `/w/${w.ws}/journeys?/saveTemplate`, { journeyId: w.journey, name: 'Doomed' })
				)
			}
		})
	};
}

/** Actions whose valid request may still be refused for the object's state (never for access). */
const STATEFUL = new Set([
	// Measuring and following up linked items need a loop in the later stages.
	'ACTION /w/[workspaceId]/loops/[loopId]?/measure',
	'ACTION /w/[workspaceId]/loops/[loopId]?/followUpNow'
]);

let users = 0;
async function disposableUser(w: World): Promise<Client> {
	const email = `self-${Date.now()}-${users++}@example.com`;
	const client = await signUp(w.server.url, `Self ${users}`, email, PASSWORD);
	// Kept with the client: the account deletion is confirmed with the e-mail address.
	client.cookies.set('matrix_email', email);
	return client;
}

function copyOf(client: Client): Client {
	const copy = new Client(client.base);
	for (const [k, v] of client.cookies) copy.cookies.set(k, v);
	return copy;
}

async function inviteToken(w: World): Promise<string> {
	return (await inviteLink(w.actors.owner, w.ws, 'viewer')).split('/').pop()!;
}

type Verdict = 'allowed' | 'refused' | 'to-signin' | 'invalid' | 'error';

async function attempt(
	w: World,
	key: string,
	role: Role,
	req: Req
): Promise<{ verdict: Verdict; detail: string }> {
	const [kind, pattern] = key.split(' ');
	const [routePattern, actionName] = pattern.split('?/');
	const values: Record<string, string> = {
		workspaceId: w.ws,
		journeyId: w.journey,
		touchpointId: w.touchpoint,
		itemId: w.item,
		loopId: w.loop,
		alertId: w.alert ?? crypto.randomUUID(),
		importId: w.importId,
		versionId: w.version,
		commentId: w.comment,
		slug: w.formSlug,
		id: w.item,
		...req.params
	};
	let path = routePattern.replace(/\[(\w+)\]/g, (_, name: string) => values[name]);
	if (req.query) path += `?${req.query}`;
	const client = req.as ?? w.actors[role];
	const headers: Record<string, string> = { ...req.headers };
	let body: BodyInit | undefined = req.body;
	if (req.form) {
		body = formBody(req.form);
		headers['content-type'] = 'application/x-www-form-urlencoded';
	}
	if (req.json !== undefined) {
		body = JSON.stringify(req.json);
		headers['content-type'] = 'application/json';
	}
	let method = kind;
	if (kind === 'PAGE') method = 'GET';
	if (kind === 'ACTION') {
		method = 'POST';
		if (actionName !== 'default') path += `${path.includes('?') ? '&' : '?'}/${actionName}`;
		headers.accept = 'application/json';
		headers['x-sveltekit-action'] = 'true';
		if (body === undefined) {
			body = '';
			headers['content-type'] = 'application/x-www-form-urlencoded';
		}
	} else if (kind !== 'PAGE') headers.accept ??= 'application/json';
	const res = await client.request(path, { method, body, headers });
	const detail = `${role} ${method} ${path} → ${res.status}`;
	const toSignin = (location: string | null | undefined) => /^\/signin(\?next=|$)/.test(location ?? '');
	if (res.status >= 500) return { verdict: 'error', detail: `${detail} ${(await res.text()).slice(0, 200)}` };
	if (kind === 'ACTION' && res.headers.get('content-type')?.includes('json')) {
		const r = (await res.json()) as { type: string; status?: number; location?: string; data?: string };
		const what = `${detail} ${r.type} ${r.status ?? ''} ${r.location ?? ''} ${(r.data ?? '').slice(0, 160)}`;
		if (r.type === 'redirect')
			return { verdict: toSignin(r.location) ? 'to-signin' : 'allowed', detail: what };
		if (r.type === 'success') return { verdict: 'allowed', detail: what };
		if ([401, 403, 404].includes(r.status ?? 0)) return { verdict: 'refused', detail: what };
		return { verdict: (r.status ?? 0) >= 500 ? 'error' : 'invalid', detail: what };
	}
	if (res.headers.get('content-type')?.includes('event-stream')) await res.body?.cancel();
	else await res.arrayBuffer();
	if (res.status >= 300 && res.status < 400)
		return { verdict: toSignin(res.headers.get('location')) ? 'to-signin' : 'allowed', detail };
	if ([401, 403, 404].includes(res.status)) return { verdict: 'refused', detail };
	if (res.status >= 400) return { verdict: 'invalid', detail };
	return { verdict: 'allowed', detail };
}

function cookieOf(c: Client): string {
	return [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
}

interface Peer {
	doc: Y.Doc;
	provider: WebsocketProvider;
	closes: number[];
}

function connect(base: string, journeyId: string, client: Client): Peer {
	const cookie = cookieOf(client);
	const Socket = class extends WebSocket {
		constructor(url: string, protocols?: string | string[]) {
			super(url, protocols, { headers: cookie ? { cookie } : {} });
		}
	};
	const doc = new Y.Doc();
	const provider = new WebsocketProvider(base.replace('http', 'ws') + '/collab', journeyId, doc, {
		WebSocketPolyfill: Socket as never,
		disableBc: true
	});
	const closes: number[] = [];
	provider.on('connection-close', (e) => {
		if (e) closes.push(e.code);
	});
	return { doc, provider, closes };
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
	const end = Date.now() + ms;
	while (!check()) {
		if (Date.now() > end) throw new Error('timed out waiting');
		await new Promise((r) => setTimeout(r, 20));
	}
}

const marks = (doc: Y.Doc) => [...doc.getMap<string>('matrix').keys()].sort();

describe.each(engines())('access matrix on $engine', ({ engine }) => {
	let server: TestServer;
	let w: World;
	let digest: ReturnType<typeof databaseDigest> | null = null;

	let receiver: Awaited<ReturnType<typeof webhookReceiver>>;

	beforeAll(async () => {
		receiver = await webhookReceiver();
		server = await startTestServer(engine, {
			SIGNIN_LIMIT_PER_IP: '100000',
			SIGNUP_LIMIT_PER_IP: '100000',
			SIGNIN_LIMIT_PER_EMAIL: '100000',
			FORM_LIMIT_PER_IP: '100000',
			WEBHOOK_ALLOW_PRIVATE: 'true'
		});
		w = await seedWorld(server, receiver.url);
		if (server.databaseUrl) digest = databaseDigest(server.databaseUrl);
	}, 120_000);

	afterAll(async () => {
		await digest?.close();
		await server?.stop();
		await receiver?.close();
	});

	it('has a policy for exactly the routes in src/routes, and a request for every write', () => {
		expect(Object.keys(ROUTE_POLICY).sort()).toEqual(routeKeys());
		const writes = Object.keys(ROUTE_POLICY).filter(
			(k) => ROUTE_POLICY[k] !== 'api-key' && (k.startsWith('ACTION') || /^(POST|PATCH|PUT|DELETE) /.test(k))
		);
		expect(writes.filter((k) => !(k in factories()))).toEqual([]);
		expect(Object.keys(factories()).filter((k) => !(k in ROUTE_POLICY))).toEqual([]);
	});

	it('seeded a real thing of each kind', () => {
		expect(w.alert, 'an alert from the burst of complaints').toMatch(/^[0-9a-f-]{36}$/);
		for (const [k, v] of Object.entries(w.notifications))
			expect(v, `notification of ${k}`).toMatch(/^[0-9a-f-]{36}$/);
		expect(w.formSlug).not.toBe('');
	});

	it('refuses every role the policy does not name, changing nothing, and lets the others through', async () => {
		const problems: string[] = [];
		const made = factories();
		for (const [key, access] of Object.entries(ROUTE_POLICY)) {
			if (access === 'api-key') continue;
			const allowed = ALLOWED[access];
			// Refused roles first: the seeded objects are still there for them.
			const order = [...ROLES].sort((a, b) => Number(allowed.includes(a)) - Number(allowed.includes(b)));
			const started = Date.now();
			// A refused request leaves its object as it was: refused roles share one, unless it is theirs.
			let shared: Req | null = null;
			let last: Map<string, string> | null = null;
			for (const role of order) {
				const may = allowed.includes(role);
				const req: Req = (!may && shared) || ((await made[key]?.(w, role)) ?? {});
				if (!may && !req.as) shared = req;
				// The digest after one refusal is the one before the next: nothing else ran in between.
				const before = !may && digest ? (last ?? (await digest.settled())) : null;
				last = null;
				const { verdict, detail } = await attempt(w, key, role, req);
				if (verdict === 'error') problems.push(`5xx: ${detail}`);
				else if (may) {
					const fine =
						verdict === 'allowed' ||
						(access === 'public' && verdict !== 'refused') ||
						(STATEFUL.has(key) && verdict === 'invalid');
					if (!fine) problems.push(`${access} refused or invalid: ${detail}`);
				} else {
					if (verdict !== 'refused' && verdict !== 'to-signin')
						problems.push(`${access} NOT refused: ${detail}`);
					if (before && digest) {
						const after = await digest.read();
						const changed = digest.changed(before, after);
						last = after;
						if (changed.length)
							problems.push(`${access} refused but changed ${changed.join(', ')}: ${detail}`);
					}
				}
			}
			// MATRIX_TIMES=1 shows where the time goes.
			if (process.env.MATRIX_TIMES) console.log(`${Date.now() - started} ms ${key}`);
		}
		expect(problems).toEqual([]);
	}, 240_000);

	it('answers the API to a key of this workspace only, never to a session', async () => {
		const problems: string[] = [];
		const otherItem = await (async () => {
			const res = await fetch(`${server.url}/api/v1/feedback`, {
				method: 'POST',
				headers: { authorization: `Bearer ${w.otherApiKey}`, 'content-type': 'application/json' },
				body: JSON.stringify({ text: 'Elsewhere', channel: 'chat' })
			});
			return ((await res.json()) as { id: string }).id;
		})();
		const requests: Record<string, (auth: string) => RequestInit & { path: string }> = {
			'POST /api/v1/feedback': (authorization) => ({
				path: '/api/v1/feedback',
				method: 'POST',
				headers: { authorization, 'content-type': 'application/json' },
				body: JSON.stringify({ text: 'Via the API', channel: 'chat', journey_id: w.journey })
			}),
			'GET /api/v1/feedback/[id]': (authorization) => ({
				path: `/api/v1/feedback/${w.item}`,
				headers: { authorization }
			}),
			'POST /api/v1/inbound/email': (authorization) => ({
				path: `/api/v1/inbound/email?journey_id=${w.journey}`,
				method: 'POST',
				headers: { authorization, 'content-type': 'message/rfc822' },
				body: 'From: Ann <ann@example.com>\r\nTo: cx@example.com\r\nSubject: Bags\r\n\r\nMy bag is lost.\r\n'
			}),
			'GET /api/v1/workspace': (authorization) => ({ path: '/api/v1/workspace', headers: { authorization } })
		};
		const apiKeyRoutes = Object.entries(ROUTE_POLICY)
			.filter(([, a]) => a === 'api-key')
			.map(([k]) => k);
		expect(Object.keys(requests).sort()).toEqual(apiKeyRoutes.sort());
		for (const [key, make] of Object.entries(requests)) {
			// Refused: no key, a session cookie without a key (the owner's), a key of another workspace.
			const refusals: [string, string, Client | null][] = [
				['no key', '', null],
				["owner's session", '', w.actors.owner],
				['other workspace key', `Bearer ${w.otherApiKey}`, null]
			];
			for (const [who, auth, client] of refusals) {
				const before = digest ? await digest.settled() : null;
				const { path, ...init } = make(auth);
				const res = client ? await client.request(path, init) : await fetch(server.url + path, init);
				const text = await res.text();
				const refused =
					[401, 403, 404].includes(res.status) || (who === 'other workspace key' && res.status === 400);
				if (
					!refused &&
					!(key === 'GET /api/v1/workspace' && who === 'other workspace key' && !text.includes(w.ws))
				)
					problems.push(`${key} as ${who} → ${res.status} ${text.slice(0, 160)}`);
				if (before && digest && who !== 'other workspace key') {
					const changed = digest.changed(before, await digest.read());
					if (changed.length) problems.push(`${key} as ${who} changed ${changed.join(', ')}`);
				}
				if (text.includes(w.ws) || (text.includes(w.item) && key.startsWith('GET')))
					problems.push(`${key} as ${who} leaked this workspace: ${text.slice(0, 160)}`);
			}
			const { path, ...init } = make(`Bearer ${w.apiKey}`);
			const res = await fetch(server.url + path, init);
			if (res.status >= 300)
				problems.push(`${key} with this workspace's key → ${res.status} ${await res.text()}`);
		}
		// The other workspace's item is not readable with this workspace's key either.
		const cross = await fetch(`${server.url}/api/v1/feedback/${otherItem}`, {
			headers: { authorization: `Bearer ${w.apiKey}` }
		});
		expect(cross.status).toBe(404);
		expect(problems).toEqual([]);
	});

	it('on the WebSocket: anonymous 4401, another workspace 4403, viewer read-only, editor and owner write', async () => {
		const peers: Peer[] = [];
		const open = (c: Client) => {
			const p = connect(server.url, w.journey, c);
			peers.push(p);
			return p;
		};
		try {
			const anonymous = open(w.actors.anonymous);
			const outsider = open(w.actors.outsider);
			const viewer = open(w.actors.viewer);
			const editor = open(w.actors.editor);
			const owner = open(w.actors.owner);
			await until(() => anonymous.closes.length > 0 && outsider.closes.length > 0);
			expect(anonymous.closes[0]).toBe(4401);
			expect(outsider.closes[0]).toBe(4403);
			await until(() => viewer.provider.synced && editor.provider.synced && owner.provider.synced);
			viewer.doc.getMap('matrix').set('viewer', 'x');
			editor.doc.getMap('matrix').set('editor', 'x');
			owner.doc.getMap('matrix').set('owner', 'x');
			await until(() => marks(viewer.doc).includes('editor') && marks(viewer.doc).includes('owner'));
			await until(() => marks(owner.doc).includes('editor') && marks(editor.doc).includes('owner'));
			// A client that joins afterwards sees what the server kept.
			const fresh = open(w.actors.owner);
			await until(() => fresh.provider.synced && marks(fresh.doc).length >= 2);
			await new Promise((r) => setTimeout(r, 300));
			expect(marks(owner.doc)).toEqual(['editor', 'owner']);
			expect(marks(editor.doc)).toEqual(['editor', 'owner']);
			expect(marks(fresh.doc)).toEqual(['editor', 'owner']);
			expect(marks(outsider.doc)).toEqual([]);
		} finally {
			for (const p of peers) p.provider.destroy();
		}
	});
});
