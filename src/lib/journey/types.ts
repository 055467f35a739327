/**
 * Plain-object shapes of a journey, as the UI renders them and as JSON export carries them.
 * The Y.Doc layout that stores them lives in `document.ts`.
 */

export const STAGE_GROUPS = ['pre-sale', 'sale', 'after-sale'] as const;
export type StageGroup = (typeof STAGE_GROUPS)[number];

export const CHANNELS = [
	'web',
	'app',
	'email',
	'phone',
	'store',
	'social',
	'chat',
	'kiosk',
	'mail',
	'event',
	'other'
] as const;
export type Channel = (typeof CHANNELS)[number];

/** Whether a channel is online when the author does not say otherwise. */
export const CHANNEL_ONLINE: Record<Channel, boolean> = {
	web: true,
	app: true,
	email: true,
	phone: false,
	store: false,
	social: true,
	chat: true,
	kiosk: false,
	mail: false,
	event: false,
	other: false
};

export const CONNECTION_KINDS = ['main', 'alternative'] as const;
export type ConnectionKind = (typeof CONNECTION_KINDS)[number];

/** Authored emotion score: -2 (very negative) to +2 (very positive); null when not set yet. */
export type EmotionScore = -2 | -1 | 0 | 1 | 2;
export const EMOTION_MIN = -2;
export const EMOTION_MAX = 2;

export type Locale = 'fr' | 'en';

export interface JourneyInfo {
	title: string;
	description: string;
	/** User id of the journey's owner, or null. */
	owner: string | null;
}

export interface Persona {
	id: string;
	name: string;
	description: string;
	/** `#rrggbb` */
	color: string;
}

export interface Stage {
	id: string;
	title: string;
	description: string;
	group: StageGroup;
}

export interface Touchpoint {
	id: string;
	stageId: string;
	title: string;
	channel: Channel;
	online: boolean;
	/** Persona ids this touchpoint concerns; null means every persona (the default). */
	personaIds: string[] | null;
	does: string;
	thinks: string;
	feels: string;
	pains: string[];
	joys: string[];
	emotion: EmotionScore | null;
	/** User id of the workspace member who owns this touchpoint, or null. */
	owner: string | null;
	keywords: string[];
	products: string[];
	notes: string;
}

export interface Connection {
	id: string;
	from: string;
	to: string;
	kind: ConnectionKind;
	label: string;
}

/**
 * Everything the UI needs to render a journey, in display order: stages in journey order, touchpoints
 * in stage order then position inside their stage (so `touchpoints` is also the emotion-curve order).
 */
export interface JourneySnapshot extends JourneyInfo {
	schemaVersion: number;
	personas: Persona[];
	stages: Stage[];
	touchpoints: Touchpoint[];
	connections: Connection[];
}

export type PersonaInput = Omit<Persona, 'id'> & { id?: string };
export type StageInput = Partial<Omit<Stage, 'id'>> & { title: string; group: StageGroup; id?: string };
export type TouchpointInput = Partial<Omit<Touchpoint, 'id' | 'stageId'>> & { title: string; id?: string };
export type ConnectionInput = Omit<Connection, 'id' | 'kind' | 'label'> &
	Partial<Pick<Connection, 'kind' | 'label'>> & { id?: string };

export type JourneyPatch = Partial<JourneyInfo>;
export type PersonaPatch = Partial<Omit<Persona, 'id'>>;
export type StagePatch = Partial<Omit<Stage, 'id'>>;
export type TouchpointPatch = Partial<Omit<Touchpoint, 'id' | 'stageId'>>;
export type ConnectionPatch = Partial<Pick<Connection, 'kind' | 'label'>>;

/** Where to put a stage, persona or touchpoint: an index in the current order (end when omitted). */
export interface Placement {
	index?: number;
}
