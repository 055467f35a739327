/**
 * The weekly health digest on both engines, through a real SMTP server: one e-mail per member in their
 * language with the journey's title, once per workspace and week (two instances at once included),
 * nothing before Monday 07:00 UTC or without SMTP.
 */
import { eq, like } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/lib/server/db';
import { appMeta, user } from '../../src/lib/server/db/schema';
import { ingestFeedback } from '../../src/lib/server/feedback/ingest';
import { processPending } from '../../src/lib/server/feedback/processor';
import { digestMode, digestQuery, digestWeek, sendHealthDigests } from '../../src/lib/server/health-digest';
import type { MailSettings } from '../../src/lib/server/notification-mail';
import { engines } from './helpers/db';
import { catchMail, type MailCatcher, type ReceivedMail } from './helpers/smtp';
import { addMember, makeUser, makeWorkspace } from './helpers/factories';
import { airlineJourney, item } from './helpers/feedback';

/** Monday 16 November 2026, 08:00 UTC: the digest of the week of 9–15 November is due. */
const MONDAY = new Date('2026-11-16T08:00:00Z');

describe('digest timing', () => {
	it('is due from Monday 07:00 UTC, for the 7 days before, compared with the 7 before them', () => {
		expect(digestWeek(new Date('2026-11-16T06:59:59Z'))).toBeNull();
		expect(digestWeek(new Date('2026-11-15T23:00:00Z'))).toBe('2026-11-09');
		expect(digestWeek(MONDAY)).toBe('2026-11-16');
		expect(digestWeek(new Date('2026-11-19T12:00:00Z'))).toBe('2026-11-16');
		const q = digestQuery('2026-11-16');
		expect(q.range).toEqual({ from: '2026-11-09', to: '2026-11-15' });
		expect(q.compare).toEqual({ from: '2026-11-02', to: '2026-11-08' });
	});

	it('reads HEALTH_DIGEST, weekly by default, and refuses anything else', () => {
		expect(digestMode({})).toBe('weekly');
		expect(digestMode({ HEALTH_DIGEST: 'OFF' })).toBe('off');
		expect(() => digestMode({ HEALTH_DIGEST: 'daily' })).toThrow('HEALTH_DIGEST must be weekly or off');
	});
});

describe.each(engines())('weekly health digest on $engine', ({ open }) => {
	let database: Database;
	let smtp: MailCatcher;
	let mail: MailSettings;
	let received: ReceivedMail[] = [];
	let workspaceId: string;
	let french: { email: string };
	let english: { email: string };
	let noLocale: { email: string };
	let elsewhere: { email: string };
	let changedTitle: string;

	beforeAll(async () => {
		database = await open();
		const db = database.db;
		smtp = await catchMail();
		received = smtp.received;
		mail = {
			smtpUrl: smtp.url,
			from: 'Parcours <parcours@example.com>',
			publicUrl: 'https://parcours.example.com'
		};

		const owner = await makeUser(db, { name: 'Hélène Lefèvre' });
		await db.update(user).set({ locale: 'fr' }).where(eq(user.id, owner.id));
		const viewer = await makeUser(db, { name: 'Sam Viewer' });
		await db.update(user).set({ locale: 'en' }).where(eq(user.id, viewer.id));
		const editor = await makeUser(db, { name: 'No Locale' });
		[french, english, noLocale] = [owner, viewer, editor];
		const ws = await makeWorkspace(db, owner, 'Airline CX');
		workspaceId = ws.id;
		await addMember(db, ws.id, viewer, 'viewer');
		await addMember(db, ws.id, editor, 'editor');
		const { journey, touchpoints } = await airlineJourney(database, ws.id, 'Voyage été à Montréal');
		await ingestFeedback(
			db,
			{ workspaceId: ws.id, source: 'api' },
			Array.from({ length: 6 }, (_, i) =>
				item({
					text: i % 2 ? 'The staff were lovely and helpful' : 'Terrible wait, the boarding was a mess',
					journey_id: journey.id,
					touchpoint_id: touchpoints[i % 2].id,
					received_at: `2026-11-1${i % 5}T10:00:00Z`,
					external_id: `digest-${i}`
				})
			)
		);
		// The first touchpoint went from praise the week before to complaints: a change to tell.
		changedTitle = touchpoints[0].title;
		await ingestFeedback(db, { workspaceId: ws.id, source: 'api' }, [
			...['2026-11-11', '2026-11-13'].map((day, i) =>
				item({
					text: 'Terrible wait, the boarding was a mess',
					journey_id: journey.id,
					touchpoint_id: touchpoints[0].id,
					received_at: `${day}T10:00:00Z`,
					external_id: `digest-more-${i}`
				})
			),
			...Array.from({ length: 5 }, (_, i) =>
				item({
					text: 'The staff were lovely and helpful',
					journey_id: journey.id,
					touchpoint_id: touchpoints[0].id,
					received_at: `2026-11-0${3 + i}T10:00:00Z`,
					external_id: `digest-before-${i}`
				})
			)
		]);
		await processPending(db);

		// Another workspace: its member hears of its journey only, and ours never of it.
		const other = await makeUser(db, { name: 'Other' });
		elsewhere = other;
		const otherWs = await makeWorkspace(db, other, 'Hotel CX');
		const hotel = await airlineJourney(database, otherWs.id, 'Hotel stay');
		await ingestFeedback(db, { workspaceId: otherWs.id, source: 'api' }, [
			item({
				text: 'Great room',
				journey_id: hotel.journey.id,
				touchpoint_id: hotel.touchpoints[0].id,
				received_at: '2026-11-12T10:00:00Z',
				external_id: 'hotel-1'
			})
		]);
		await processPending(db);
		// A workspace without journeys gets no digest.
		await makeWorkspace(db, await makeUser(db), 'Empty');
	});
	afterEach(() => {
		received.length = 0;
	});
	afterAll(async () => {
		await smtp?.close();
		await database?.close();
	});

	it('sends nothing without SMTP or before Monday 07:00, and claims no week then', async () => {
		expect(await sendHealthDigests(database.db, null, MONDAY)).toEqual({ workspaces: 0, mails: 0 });
		expect(await sendHealthDigests(database.db, mail, new Date('2026-11-16T06:30:00Z'))).toEqual({
			workspaces: 0,
			mails: 0
		});
		expect(received).toEqual([]);
		expect(await database.db.$count(appMeta, like(appMeta.key, 'health-digest:%'))).toBe(0);
	});

	it('sends each member one e-mail in their language with the journey, its health and the portfolio link', async () => {
		const result = await sendHealthDigests(database.db, mail, MONDAY);
		expect(result).toEqual({ workspaces: 2, mails: 4 });
		expect(received.map((m) => m.to).sort()).toEqual(
			[french.email, english.email, noLocale.email, elsewhere.email].sort()
		);
		const fr = received.find((m) => m.to === french.email)!;
		expect(fr.subject).toBe('[Parcours] Santé des parcours cette semaine — Airline CX');
		expect(fr.text).toContain('du 9 nov. 2026 au 15 nov. 2026');
		expect(fr.text).toMatch(/- Voyage été à Montréal : santé \d+ \(/);
		const en = received.find((m) => m.to === english.email)!;
		expect(en.subject).toBe('[Parcours] Journey health this week — Airline CX');
		expect(en.text).toMatch(/- Voyage été à Montréal: health \d+ \((Good|Watch|At risk)\), [^,]+, 8 items/);
		expect(en.text).toContain(
			`What changed since last week\n- Voyage été à Montréal — ${changedTitle}: emotion score`
		);
		expect(en.text).not.toContain('Hotel stay');
		expect(en.html).toContain(
			`href="https://parcours.example.com/w/${workspaceId}/health?from=2026-11-09&amp;to=2026-11-15"`
		);
		// Without a stored language, English.
		expect(received.find((m) => m.to === noLocale.email)!.subject).toBe(en.subject);
		expect(received.find((m) => m.to === elsewhere.email)!.text).toContain('Hotel stay');
	});

	it('sends nothing more the same week, and once the next week even from two instances at once', async () => {
		expect(await sendHealthDigests(database.db, mail, new Date('2026-11-18T12:00:00Z'))).toEqual({
			workspaces: 0,
			mails: 0
		});
		expect(received).toEqual([]);
		const nextMonday = new Date('2026-11-23T07:00:00Z');
		const [a, b] = await Promise.all([
			sendHealthDigests(database.db, mail, nextMonday),
			sendHealthDigests(database.db, mail, nextMonday)
		]);
		expect(a.workspaces + b.workspaces).toBe(2);
		expect(a.mails + b.mails).toBe(4);
		expect(received).toHaveLength(4);
		const [stored] = await database.db
			.select()
			.from(appMeta)
			.where(eq(appMeta.key, `health-digest:${workspaceId}`));
		expect(stored.value).toBe('2026-11-23');
	});
});
