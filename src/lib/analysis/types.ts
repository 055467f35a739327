/** Languages the analysis tells apart; `unknown` when the text is too short or too ambiguous. */
export type Language = 'fr' | 'en' | 'es' | 'de' | 'unknown';
export type Polarity = 'negative' | 'neutral' | 'positive';
export type Intent = 'question' | 'complaint' | 'opinion' | 'praise' | 'suggestion';
export type StageGroup = 'pre-sale' | 'sale' | 'after-sale';
export type Emotion =
	'joy' | 'trust' | 'surprise' | 'sadness' | 'anger' | 'fear' | 'disgust' | 'anticipation';
/** Channels a touchpoint or an item can belong to. */
export type Channel =
	'web' | 'app' | 'email' | 'phone' | 'store' | 'social' | 'chat' | 'kiosk' | 'mail' | 'form' | 'survey';

export const POLARITIES: readonly Polarity[] = ['negative', 'neutral', 'positive'];
export const INTENTS: readonly Intent[] = ['question', 'complaint', 'opinion', 'praise', 'suggestion'];
export const STAGE_GROUPS: readonly StageGroup[] = ['pre-sale', 'sale', 'after-sale'];
export const EMOTIONS: readonly Emotion[] = [
	'joy',
	'trust',
	'surprise',
	'sadness',
	'anger',
	'fear',
	'disgust',
	'anticipation'
];

/** A piece of the analysed (cleaned) text: `text.slice(start, end)` of {@link Analysis.text}. */
export interface Span {
	start: number;
	end: number;
	text: string;
}

/** One decision with its confidence in [0, 1] and the spans that triggered it. */
export interface Decision<T> {
	value: T;
	confidence: number;
	spans: Span[];
}

/** Text in both product languages; `en` is the fallback. */
export interface Label {
	fr: string;
	en: string;
}

/** A product or service of the workspace catalogue. */
export interface CatalogueItem {
	id: string;
	name: string;
	aliases?: string[];
	kind?: 'product' | 'service';
}

/** A place of the workspace (store, city, airport, agency…). */
export interface Place {
	id: string;
	name: string;
	aliases?: string[];
	kind?: string;
}

/**
 * A motive of the workspace taxonomy. `keywords` are accent- and case-insensitive; a keyword ending
 * in `*` matches any word starting with it; several words match as a phrase.
 */
export interface Motive {
	id: string;
	label: Label | string;
	keywords?: string[];
	/** Stage group the motive usually belongs to, used as weak evidence for the stage. */
	stage?: StageGroup;
}

/** A touchpoint of one journey, as the analysis needs it. */
export interface TouchpointRef {
	id: string;
	title: string;
	stage: StageGroup;
	channel?: Channel | string;
	keywords?: string[];
	/** Catalogue item ids this touchpoint is about. */
	products?: string[];
}

/** Workspace context: everything the analysis knows about the organisation. */
export interface AnalysisContext {
	products?: CatalogueItem[];
	places?: Place[];
	/** Motive taxonomy; {@link defaultMotives} when absent. */
	motives?: Motive[];
	/** Touchpoints of the journey the item should be matched to. */
	touchpoints?: TouchpointRef[];
	/** Learned corrections of this workspace (see `train`). */
	model?: LearnedModel | null;
	/** Minutes east of UTC used to resolve dates without a zone; 0 (UTC) when absent. */
	timezoneOffset?: number;
}

/** Facts about one item that are not in its text. */
export interface ItemMeta {
	/** When the item was received; relative dates resolve against it. Defaults to the Unix epoch (deterministic). */
	receivedAt?: Date | string | number;
	/** Channel the item came through, weak evidence for the touchpoint. */
	channel?: Channel | string;
}

export interface DateEntity {
	/** ISO 8601 instant of the start of the mention. */
	value: string;
	/** ISO 8601 end instant, for ranges. */
	end?: string;
	/** True when the text gave only part of the date and the rest was implied. */
	approximate: boolean;
	confidence: number;
	spans: Span[];
}

export interface EntityMatch {
	id: string;
	name: string;
	/** How it matched: exact (after case and accent folding), alias or fuzzy (typo). */
	match: 'exact' | 'alias' | 'fuzzy';
	confidence: number;
	spans: Span[];
}

export interface PlaceEntity extends EntityMatch {
	/** `workspace` for a place of the context, `city` for a city name the module knows. */
	source: 'workspace' | 'city';
}

export interface MotiveMatch {
	id: string;
	confidence: number;
	spans: Span[];
}

export interface TouchpointMatch {
	id: string;
	/** Raw matching score (sum of evidence weights); comparable within one item only. */
	score: number;
	confidence: number;
	spans: Span[];
}

export interface PolarityDecision extends Decision<Polarity> {
	/** Strength in [-1, 1]: negative below 0. */
	score: number;
}

export interface IntentDecision extends Decision<Intent> {
	secondary: Decision<Intent>[];
}

/** What the analysis understood of one item. */
export interface Analysis {
	/** Cleaned text that was analysed (HTML, quoted replies and signatures removed); spans refer to it. */
	text: string;
	/** True when the cleaned text was longer than the analysis limit and was cut. */
	truncated: boolean;
	language: Decision<Language>;
	polarity: PolarityDecision;
	/** Emotions that hold, strongest first (possibly none). */
	emotions: Decision<Emotion>[];
	intent: IntentDecision;
	entities: {
		dates: DateEntity[];
		places: PlaceEntity[];
		products: EntityMatch[];
	};
	/** Motives from the context taxonomy, strongest first (possibly none). */
	motives: MotiveMatch[];
	stage: Decision<StageGroup>;
	touchpoint: {
		best: TouchpointMatch | null;
		runnerUp: TouchpointMatch | null;
	};
	/** Which fields a learned model changed or confirmed. */
	learned: Array<'polarity' | 'intent' | 'motive' | 'touchpoint'>;
}

/** A staff correction: the text and the right value for any of the correctable fields. */
export interface TrainingExample {
	text: string;
	receivedAt?: Date | string | number;
	channel?: string;
	polarity?: Polarity;
	intent?: Intent;
	motive?: string;
	touchpoint?: string;
}

/** One linear classifier of a learned model. */
export interface LinearTask {
	classes: string[];
	/** Number of examples it was trained on. */
	examples: number;
	/** Feature → weights (one per class); the bias is under the key `""`. */
	weights: Map<string, Float32Array>;
}

/** Learned state of one workspace: per correctable field, a linear model over the module's features. */
export interface LearnedModel {
	version: 1;
	tasks: Partial<Record<'polarity' | 'intent' | 'motive' | 'touchpoint', LinearTask>>;
}

export type LearnedTaskName = keyof LearnedModel['tasks'];
