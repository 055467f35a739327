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
