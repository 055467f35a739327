import { describe, expect, it } from 'vitest';
import { translator } from '../../i18n';
import { digestMail, type DigestInput } from './digest';
import { samplePortfolioView } from './fixtures';

const input = (over: Partial<DigestInput> = {}): DigestInput => ({
	workspaceName: 'Airline <CX>',
	range: { from: '2026-11-09', to: '2026-11-15' },
	journeys: samplePortfolioView().journeys,
	openAlerts: 2,
	loopsClosed: 1,
	changes: [
		{
			journey: 'Checkout',
			change: { kind: 'loop_closed', loopId: 'l', title: 'Slow boarding', improved: true }
		}
	],
	link: 'https://parcours.example.com/w/ws/health?from=2026-11-09&to=2026-11-15',
	...over
});

describe('weekly digest e-mail', () => {
	it('lists the worst journeys with health and delta, totals, changes and the link, in English', () => {
		const mail = digestMail(input(), 'en', translator('en'));
		expect(mail.subject).toBe('[Parcours] Journey health this week — Airline <CX>');
		expect(mail.text).toContain('from 9 Nov 2026 to 15 Nov 2026, compared with the 7 days before');
		expect(mail.text).toContain('- Checkout: health 41 (At risk), +4 points, 300 items');
		expect(mail.text.indexOf('Checkout: health')).toBeLessThan(mail.text.indexOf('Voyage été à Montréal'));
		expect(mail.text).toContain('- 1 other journeys had no feedback.');
		expect(mail.text).toContain('Open alerts: 2 · loops closed over these 7 days: 1');
		expect(mail.text).toContain('- Checkout — Loop closed: Slow boarding (the score improved)');
		expect(mail.text).toContain(
			'Open journey health: https://parcours.example.com/w/ws/health?from=2026-11-09&to=2026-11-15'
		);
		// The HTML escapes what people typed.
		expect(mail.html).toContain('Airline &lt;CX&gt;');
		expect(mail.html).toContain(
			'href="https://parcours.example.com/w/ws/health?from=2026-11-09&amp;to=2026-11-15"'
		);
	});

	it('speaks French to a French reader and says when no journey had feedback', () => {
		const mail = digestMail(
			input({ journeys: samplePortfolioView().journeys.slice(2), changes: [] }),
			'fr',
			translator('fr')
		);
		expect(mail.subject).toBe('[Parcours] Santé des parcours cette semaine — Airline <CX>');
		expect(mail.text).toContain('du 9 nov. 2026 au 15 nov. 2026');
		expect(mail.text).toContain('- Aucun parcours n’a reçu de retours ces 7 jours.');
		expect(mail.text).not.toContain('Ce qui a changé');
		expect(mail.text).toContain('Ouvrir la santé des parcours : https://parcours.example.com/w/ws/health');
	});
});
