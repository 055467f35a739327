/**
 * Inbound e-mail through the built app: raw RFC 822 messages as mail relays forward them (French and
 * English replies with quotes and signatures, HTML-only, Latin-1 quoted-printable), idempotent by
 * Message-ID, and clear refusals of what is not an e-mail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from './helpers/db';
import {
	createWorkspace,
	signUp,
	startTestServer,
	type TestServer,
	createJourneyByForm
} from './helpers/server';

const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');

const FR_GMAIL_REPLY = crlf(`From: Jean Dupont <Jean.Dupont@example.fr>
To: service-client@air-example.com
Subject: Re: Votre réclamation n°4521
Message-ID: <CAF1234-fr@mail.gmail.com>
Date: Mon, 3 Nov 2025 10:12:00 +0100
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 8bit

Bonjour,

Toujours aucune nouvelle de mon bagage perdu à Roissy depuis 10 jours. C'est inadmissible.

Cordialement,
Jean Dupont
06 12 34 56 78

Le lun. 27 oct. 2025 à 09:00, Service client <service-client@air-example.com> a écrit :
> Bonjour Monsieur Dupont,
> Nous avons bien reçu votre réclamation et revenons vers vous rapidement.
`);

const EN_OUTLOOK_REPLY = crlf(`From: "Sarah Connor" <sarah@example.com>
To: care@air-example.com
Subject: RE: Your booking ABC123
Message-ID: <DB7PR01MB-en@outlook.com>
Date: Tue, 4 Nov 2025 08:00:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

The check-in staff in Lyon were wonderful, thank you!

Best regards,
Sarah

Sent from my iPhone

-----Original Message-----
From: Air Example <noreply@air-example.com>
Sent: Monday, November 3, 2025 5:00 PM
To: sarah@example.com
Subject: Your booking ABC123

How was your trip? Tell us in one click.
`);

const EN_WROTE_SIGNATURE = crlf(`From: Bob Smith <bob@example.com>
Subject: Delay
Message-ID: <wrote-1@example.com>
Date: Tue, 4 Nov 2025 09:00:00 +0000
Content-Type: text/plain; charset=utf-8

Flight was 3 hours late and nobody told us anything at the gate.
--
Bob Smith | ACME Corp | +1 555 0100

On Mon, Nov 3, 2025 at 5:00 PM Air Example <noreply@air-example.com> wrote:
> How was your trip?
`);

// HTML only, Latin-1 with quoted-printable, encoded-word subject and sender name.
const HTML_LATIN1 = crlf(`From: =?ISO-8859-1?Q?Ren=E9e_Lef=E8vre?= <renee@example.fr>
Subject: =?ISO-8859-1?Q?Remboursement_refus=E9?=
Message-ID: <html-latin1@example.fr>
Date: Wed, 5 Nov 2025 12:00:00 +0100
MIME-Version: 1.0
Content-Type: text/html; charset=ISO-8859-1
Content-Transfer-Encoding: quoted-printable

<html><head><style>p{color:red}</style></head><body><p>Bonjour,</p><p>On m'a refus=E9 le rem=
boursement de mon billet annul=E9. Tr=E8s d=E9=E7ue.</p><div>Bien =E0 vous,<br>Ren=E9e</div>=
<blockquote>Le 4 nov. 2025, Air Example a =E9crit : Votre demande est en cours.</blockquote></body></html>
`);

const MULTIPART = crlf(`From: Lea <lea@example.com>
Subject: Fwd: App keeps crashing
Message-ID: <multi-1@example.com>
Date: Thu, 6 Nov 2025 07:30:00 +0000
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8

The app crashes every time I open my boarding pass.
--b1
Content-Type: text/html; charset=utf-8

<p>The app crashes every time I open my <b>boarding pass</b>. (HTML version)</p>
--b1--
`);

describe.each(engines())('inbound e-mail on $engine', ({ engine }) => {
	let server: TestServer;
	let key: string;
	let journeyId: string;

	const send = (body: BodyInit, type = 'message/rfc822', query = '', k: string | null = key) =>
		fetch(`${server.url}/api/v1/inbound/email${query}`, {
			method: 'POST',
			headers: { 'content-type': type, ...(k ? { authorization: `Bearer ${k}` } : {}) },
			body
		});
	const item = async (id: string) =>
		(
			await fetch(`${server.url}/api/v1/feedback/${id}`, { headers: { authorization: `Bearer ${key}` } })
		).json();

	beforeAll(async () => {
		server = await startTestServer(engine);
		const owner = await signUp(server.url, 'Owner', 'owner@example.com');
		const workspaceId = await createWorkspace(owner, 'Mail');
		journeyId = await createJourneyByForm(owner, workspaceId, 'Trip', 'airline');
		const res = await owner.post(`/w/${workspaceId}/settings?/createApiKey`, { name: 'Relay' });
		key = /pk_[a-z2-7]{32}/.exec(await res.text())![0];
	}, 120_000);
	afterAll(async () => {
		await server?.stop();
	});

	it('keeps a French reply without its quote and signature; subject first; From, Date, Message-ID mapped', async () => {
		const res = await send(FR_GMAIL_REPLY, 'message/rfc822', `?journey_id=${journeyId}`);
		expect(res.status).toBe(201);
		const { id, duplicate } = await res.json();
		expect(duplicate).toBe(false);
		const stored = await item(id);
		expect(stored.text).toBe(
			"Votre réclamation n°4521\n\nBonjour,\n\nToujours aucune nouvelle de mon bagage perdu à Roissy depuis 10 jours. C'est inadmissible."
		);
		expect(stored).toMatchObject({
			channel: 'email',
			source: 'email',
			customer: { name: 'Jean Dupont', contact: 'jean.dupont@example.fr' },
			received_at: '2025-11-03T09:12:00.000Z',
			external_id: 'email:CAF1234-fr@mail.gmail.com',
			journey_id: journeyId
		});
	});

	it('keeps an English reply without "Sent from my iPhone", the original message, or a "--" signature', async () => {
		const outlook = await (await send(EN_OUTLOOK_REPLY)).json();
		expect((await item(outlook.id)).text).toBe(
			'Your booking ABC123\n\nThe check-in staff in Lyon were wonderful, thank you!'
		);
		const wrote = await (await send(EN_WROTE_SIGNATURE)).json();
		const stored = await item(wrote.id);
		expect(stored.text).toBe('Delay\n\nFlight was 3 hours late and nobody told us anything at the gate.');
		expect(stored.customer).toEqual({ id: null, name: 'Bob Smith', contact: 'bob@example.com' });
	});

	it('drops the reply forms mail clients really produce, and keeps sentences that only look like them', async () => {
		const cases: Array<[string, string]> = [
			// Gmail wraps a long attribution over two lines.
			[
				'Le produit ne marche toujours pas.\n\nLe lun. 3 nov. 2025 à 09:00, Service client de la boutique en ligne <\nservice-client@boutique-exemple.fr> a écrit :\n\n> Bonjour,\n> Avez-vous essayé de le redémarrer ?',
				'Le produit ne marche toujours pas.'
			],
			// Outlook in French: a header block with spaces before the colons.
			[
				'Merci mais le colis est arrivé abîmé.\n\nDe : Service client <sc@shop.fr>\nEnvoyé : lundi 3 novembre 2025 09:00\nÀ : Claire <claire@example.fr>\nObjet : Commande 123\n\nBonjour, votre commande est partie.',
				'Merci mais le colis est arrivé abîmé.'
			],
			// Apple Mail quotes the attribution too.
			[
				'Super accueil en agence, merci !\n\n> Le 3 nov. 2025 à 09:00, Agence <a@b.fr> a écrit :\n> \n> Merci de votre visite',
				'Super accueil en agence, merci !'
			],
			// A bare closing and a name before a "-- " signature.
			['Refund still missing.\n\nThanks,\nTom\n\n-- \nTom Jones\nSenior Buyer', 'Refund still missing.'],
			['Le colis est arrivé cassé.\nMerci,\nClaire', 'Le colis est arrivé cassé.'],
			// Outlook's underscore rule before the original message.
			[
				'Love the new app.\n\n________________________________\nFrom: Support <s@x.com>\nSent: Monday\nTo: me\nSubject: hi\n\nold',
				'Love the new app.'
			],
			// Not replies: sentences starting with "Le"/"On", a "Thanks," that says something.
			[
				"Le vol était en retard.\nOn nous a dit d'attendre sans explication.",
				"Le vol était en retard.\nOn nous a dit d'attendre sans explication."
			],
			[
				'Thanks, the staff was great and the room was clean.',
				'Thanks, the staff was great and the room was clean.'
			]
		];
		for (const [i, [body, expected]] of cases.entries()) {
			const raw = crlf(
				`From: Claire <claire@example.fr>\nSubject: \nMessage-ID: <client-${i}@example.fr>\nDate: Mon, 3 Nov 2025 10:00:00 +0100\nContent-Type: text/plain; charset=utf-8\n\n${body}\n`
			);
			const res = await send(raw);
			expect(res.status).toBe(201);
			expect((await item((await res.json()).id)).text, `case ${i}`).toBe(expected);
		}
	});

	it('reads an HTML-only Latin-1 quoted-printable message as text', async () => {
		const res = await send(Buffer.from(HTML_LATIN1, 'latin1'));
		expect(res.status).toBe(201);
		const stored = await item((await res.json()).id);
		expect(stored.text).toBe(
			"Remboursement refusé\n\nBonjour,\n\nOn m'a refusé le remboursement de mon billet annulé. Très déçue."
		);
		expect(stored.customer.name).toBe('Renée Lefèvre');
	});

	it('prefers the text part of a multipart message, and takes {raw} JSON and octet-stream too', async () => {
		const res = await send(JSON.stringify({ raw: MULTIPART }), 'application/json');
		expect(res.status).toBe(201);
		const stored = await item((await res.json()).id);
		expect(stored.text).toBe('App keeps crashing\n\nThe app crashes every time I open my boarding pass.');
		const bin = await send(
			new TextEncoder().encode(MULTIPART.replace('multi-1@', 'multi-2@')),
			'application/octet-stream'
		);
		expect(bin.status).toBe(201);
		// Relays post text/plain without an Origin header: the API key, not a cookie, vouches for them.
		const plain = await send(MULTIPART.replace('multi-1@', 'multi-3@'), 'text/plain');
		expect(plain.status).toBe(201);
		// A browser form post from another site carries a cookie or an Origin, never a key: still refused.
		const crossSite = await fetch(`${server.url}/api/v1/inbound/email`, {
			method: 'POST',
			headers: { 'content-type': 'text/plain', origin: 'https://evil.example' },
			body: MULTIPART.replace('multi-1@', 'multi-4@')
		});
		expect(crossSite.status).toBe(403);
	});

	it('is idempotent by Message-ID: a relay retrying gets 200 and the same id', async () => {
		const first = await (await send(EN_WROTE_SIGNATURE.replace('wrote-1@', 'retry-1@'))).json();
		const again = await send(EN_WROTE_SIGNATURE.replace('wrote-1@', 'retry-1@'));
		expect(again.status).toBe(200);
		expect(await again.json()).toMatchObject({ id: first.id, duplicate: true });
	});

	it('refuses what is not an e-mail with a 400 that says so, and other content types with 415', async () => {
		const cases: Array<[BodyInit, string, number, RegExp]> = [
			['hello, this is not an e-mail at all', 'message/rfc822', 400, /no From header/],
			[
				new Uint8Array([0xff, 0xfe, 0x00, 0x01, 0x80]),
				'message/rfc822',
				400,
				/not an e-mail|could not be parsed/
			],
			['', 'message/rfc822', 400, /empty/],
			['From: someone@example.com\r\nSubject: \r\n\r\n> only a quote\r\n', 'message/rfc822', 400, /no text/],
			[JSON.stringify({ message: 'x' }), 'application/json', 400, /raw/],
			['{not json', 'application/json', 400, /not valid JSON/],
			['<xml/>', 'application/xml', 415, /message\/rfc822/]
		];
		for (const [body, type, status, message] of cases) {
			const res = await send(body, type);
			expect(res.status, `${type} ${String(body).slice(0, 30)}`).toBe(status);
			const answer = await res.json();
			expect(answer.error.message).toMatch(message);
		}
		const bad = await send(
			FR_GMAIL_REPLY.replace('CAF1234-fr', 'other-id'),
			'message/rfc822',
			'?journey_id=nope'
		);
		expect(bad.status).toBe(400);
		expect((await bad.json()).error.field).toBe('journey_id');
		expect((await send(FR_GMAIL_REPLY, 'message/rfc822', '', null)).status).toBe(401);
		expect((await send(FR_GMAIL_REPLY, 'message/rfc822', '', 'pk_' + 'b'.repeat(32))).status).toBe(401);
	});
});
