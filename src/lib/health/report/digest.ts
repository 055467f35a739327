/**
 * The weekly health digest e-mail of a workspace: its worst journeys with health and delta over the last
 * 7 days against the 7 before, open alerts, loops closed, what changed and a link to the portfolio, in
 * one reader's language (plain text and a simple HTML body).
 */
import { escapeXml } from '../../export/text';
import type { Locale, Translator } from '../../i18n';
import type { Change, DateRange, PortfolioRow } from '../types';
import { formatDay, formatDelta, formatInt } from './format';
import { changeText } from './report';

/** Journeys listed in a digest, worst first. */
export const DIGEST_JOURNEYS = 5;
/** Changes listed in a digest, across its journeys. */
export const DIGEST_CHANGES = 8;

export interface DigestInput {
	workspaceName: string;
	range: DateRange;
	/** Worst first, as the portfolio sorts them. */
	journeys: PortfolioRow[];
	openAlerts: number;
	loopsClosed: number;
	/** What changed on the listed journeys, with the journey's title. */
	changes: Array<{ journey: string; change: Change }>;
	/** The portfolio page for the same days, absolute when the public address is known. */
	link: string;
}

export interface DigestMail {
	subject: string;
	text: string;
	html: string;
}

export function digestMail(input: DigestInput, locale: Locale, t: Translator): DigestMail {
	const withEvidence = input.journeys.filter((j) => j.health.score !== null);
	const listed = withEvidence.slice(0, DIGEST_JOURNEYS);
	const silent = input.journeys.length - withEvidence.length;
	const intro = t('healthReport.digest.intro', {
		workspace: input.workspaceName,
		from: formatDay(input.range.from, locale),
		to: formatDay(input.range.to, locale)
	});
	const journeyLines = listed.map((j) =>
		t('healthReport.digest.journey', {
			title: j.title,
			score: formatInt(j.health.score, locale),
			band: t(`healthReport.band.${j.health.band}`),
			delta:
				j.health.delta === null
					? t('healthReport.digest.noDelta')
					: t('healthReport.digest.delta', { delta: formatDelta(j.health.delta, locale) }),
			volume: formatInt(j.volume, locale)
		})
	);
	if (!listed.length) journeyLines.push(t('healthReport.digest.noFeedback'));
	if (silent > 0 && listed.length) {
		journeyLines.push(t('healthReport.digest.silent', { count: formatInt(silent, locale) }));
	}
	const totals = t('healthReport.digest.totals', {
		alerts: formatInt(input.openAlerts, locale),
		loops: formatInt(input.loopsClosed, locale)
	});
	const changes = input.changes
		.slice(0, DIGEST_CHANGES)
		.map((c) => `${c.journey} — ${changeText(c.change, locale, t)}`);
	const open = t('healthReport.digest.open');
	const footer = t('healthReport.digest.footer', { workspace: input.workspaceName });
	const worst = t('healthReport.digest.worst');
	const changed = t('healthReport.section.changes');

	const list = (lines: string[]) => lines.map((l) => `- ${l}`).join('\n');
	const text = [
		intro,
		`${worst}\n${list(journeyLines)}`,
		totals,
		changes.length ? `${changed}\n${list(changes)}` : '',
		t('healthReport.digest.openLink', { link: input.link }),
		'--',
		footer
	]
		.filter(Boolean)
		.join('\n\n');
	const htmlList = (lines: string[]) => `<ul>${lines.map((l) => `<li>${escapeXml(l)}</li>`).join('')}</ul>`;
	const html = [
		`<p>${escapeXml(intro)}</p>`,
		`<p><strong>${escapeXml(worst)}</strong></p>`,
		htmlList(journeyLines),
		`<p>${escapeXml(totals)}</p>`,
		changes.length ? `<p><strong>${escapeXml(changed)}</strong></p>${htmlList(changes)}` : '',
		`<p><a href="${escapeXml(input.link)}">${escapeXml(open)}</a></p>`,
		`<p style="color:#666;font-size:12px">${escapeXml(footer)}</p>`
	]
		.filter(Boolean)
		.join('\n');
	return {
		subject: t('healthReport.digest.subject', { workspace: input.workspaceName }),
		text,
		html
	};
}
