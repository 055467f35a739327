/** Colours and labels of the journey canvas, shared by cards, curve, legend and minimap. */
import type { EmotionScore, StageGroup } from '$lib/journey';
import type { MessageKey } from '$lib/i18n';

export const EMOTION_COLORS: Record<EmotionScore, string> = {
	[-2]: '#d92d20',
	[-1]: '#f38744',
	0: '#98a2b3',
	1: '#66c61c',
	2: '#079455'
};

export const EMOTION_KEYS: Record<EmotionScore, MessageKey> = {
	[-2]: 'editor.emotion.-2',
	[-1]: 'editor.emotion.-1',
	0: 'editor.emotion.0',
	1: 'editor.emotion.1',
	2: 'editor.emotion.2'
};

export function emotionColor(e: EmotionScore | null): string {
	return e === null ? '#d0d5dd' : EMOTION_COLORS[e];
}

export function signed(e: number): string {
	return e > 0 ? `+${e}` : String(e);
}

export const GROUP_COLORS: Record<StageGroup, { ink: string; bg: string; column: string }> = {
	'pre-sale': { ink: '#175cd3', bg: '#d1e9ff', column: '#f3f9ff' },
	sale: { ink: '#b54708', bg: '#fef0c7', column: '#fffbf0' },
	'after-sale': { ink: '#067647', bg: '#d1fadf', column: '#f1fdf5' }
};

export type ScoreBand = 'none' | 'very-negative' | 'negative' | 'neutral' | 'positive' | 'very-positive';

/**
 * Colours of a live score's band: a tinted background with dark text of the same hue (readable, unlike
 * white on the mid colours) and the authored emotion's colour for dots and the curve.
 */
export const BAND_LOOK: Record<ScoreBand, { bg: string; ink: string; dot: string }> = {
	none: { bg: '#f2f4f7', ink: '#475467', dot: '#d0d5dd' },
	'very-negative': { bg: '#fee4e2', ink: '#912018', dot: EMOTION_COLORS[-2] },
	negative: { bg: '#fdead7', ink: '#93370d', dot: EMOTION_COLORS[-1] },
	neutral: { bg: '#eaecf0', ink: '#344054', dot: EMOTION_COLORS[0] },
	positive: { bg: '#e3fbcc', ink: '#2b5314', dot: EMOTION_COLORS[1] },
	'very-positive': { bg: '#d1fadf', ink: '#054f31', dot: EMOTION_COLORS[2] }
};

export const BAND_KEYS: Record<ScoreBand, MessageKey> = {
	none: 'liveMap.band.none',
	'very-negative': 'liveMap.band.very-negative',
	negative: 'liveMap.band.negative',
	neutral: 'liveMap.band.neutral',
	positive: 'liveMap.band.positive',
	'very-positive': 'liveMap.band.very-positive'
};
