/**
 * Shapes of feedback items as ingestion accepts them and as the inbox and the map read them.
 * Shared by the server, the API documentation and the UI; no framework imports.
 */

/** Where a customer spoke. */
export const FEEDBACK_CHANNELS = [
	'email',
	'web_form',
	'social',
	'survey',
	'chat',
	'phone',
	'store',
	'review',
	'other'
] as const;
export type FeedbackChannel = (typeof FEEDBACK_CHANNELS)[number];

/** How the item reached Parcours. */
export const FEEDBACK_SOURCES = ['api', 'csv', 'form', 'manual', 'email', 'demo'] as const;
export type FeedbackSource = (typeof FEEDBACK_SOURCES)[number];

/** Queue state: committed as `pending`, claimed as `processing`, `done` once its analysis is stored. */
export const FEEDBACK_STATUSES = ['pending', 'processing', 'done', 'failed'] as const;
export type FeedbackStatus = (typeof FEEDBACK_STATUSES)[number];

/** NPS 0–10, CSAT 1–5, stars 1–5. */
export const RATING_KINDS = ['nps', 'csat', 'stars'] as const;
export type RatingKind = (typeof RATING_KINDS)[number];
export const RATING_RANGE: Record<RatingKind, readonly [number, number]> = {
	nps: [0, 10],
	csat: [1, 5],
	stars: [1, 5]
};

export const FEEDBACK_LANGUAGES = ['fr', 'en', 'es', 'de'] as const;
export type FeedbackLanguage = (typeof FEEDBACK_LANGUAGES)[number];

/** Fields staff may correct in one click. */
export const CORRECTABLE_FIELDS = ['polarity', 'intent', 'motive', 'touchpoint', 'stage'] as const;
export type CorrectableField = (typeof CORRECTABLE_FIELDS)[number];

export interface Customer {
	/** The customer's id in the organisation's systems. */
	id?: string;
	name?: string;
	/** E-mail address or social handle, for the follow-up answer. */
	contact?: string;
}

export interface Rating {
	kind: RatingKind;
	value: number;
}

/** One validated item, ready to store (see `validateFeedbackInput`). */
export interface FeedbackInput {
	text: string;
	channel: FeedbackChannel;
	receivedAt: Date;
	customer: Customer | null;
	rating: Rating | null;
	journeyId: string | null;
	/** A touchpoint the source already knows (a per-touchpoint form); analysis does not override it. */
	touchpointId: string | null;
	language: FeedbackLanguage | null;
	externalId: string | null;
}

/** Limits of one item. */
export const FEEDBACK_LIMITS = {
	text: 20_000,
	externalId: 200,
	customerField: 320,
	batch: 1000
} as const;

/** Evidence behind a touchpoint's live score, from its volume. */
export type EvidenceLevel = 'none' | 'few' | 'solid';

/** Live metrics of one touchpoint (or of a whole journey), on the -2..+2 emotion scale. */
export interface TouchpointScore {
	touchpointId: string;
	/** Items counted. */
	volume: number;
	/** Mean emotion score in [-2, 2]; null without items. */
	score: number | null;
	/** 95 % confidence interval of the mean; null below 2 items. */
	interval: [number, number] | null;
	shares: { negative: number; neutral: number; positive: number };
	evidence: EvidenceLevel;
}

/** What the live channel of a journey publishes: every touchpoint's current metrics. */
export interface JourneyScores {
	journeyId: string;
	/** ISO instant the figures were computed. */
	at: string;
	touchpoints: Record<string, TouchpointScore>;
	/** Items of the journey no touchpoint was matched to. */
	unmatched: number;
}
