/** Short messages about the result of an action, announced to screen readers. Browser-only state. */
export interface Toast {
	id: number;
	kind: 'success' | 'error';
	text: string;
}

let next = 1;
export const toasts = $state<Toast[]>([]);

export function showToast(text: string, kind: Toast['kind'] = 'success', ms = 5000): void {
	const id = next++;
	toasts.push({ id, kind, text });
	setTimeout(() => dismissToast(id), ms);
}

export function dismissToast(id: number): void {
	const i = toasts.findIndex((t) => t.id === id);
	if (i >= 0) toasts.splice(i, 1);
}
