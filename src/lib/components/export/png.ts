/**
 * An exported SVG page as a PNG, in the browser: the SVG becomes an image, the image is drawn on a
 * canvas at twice its size (sharp on high-density screens and in slides), the canvas becomes a file.
 */

/** Chromium refuses canvases beyond 32,767 px a side or 268 M pixels; stay well inside. */
const MAX_SIDE = 16_000;
const MAX_PIXELS = 120_000_000;

export class ImageTooLargeError extends Error {
	constructor() {
		super('image too large');
		this.name = 'ImageTooLargeError';
	}
}

/** The scale a `width` × `height` drawing gets: 2, less when the canvas would be too large. */
export function pngScale(width: number, height: number, wanted = 2): number {
	const scale = Math.min(
		wanted,
		MAX_SIDE / width,
		MAX_SIDE / height,
		Math.sqrt(MAX_PIXELS / (width * height))
	);
	if (scale < 0.75) throw new ImageTooLargeError();
	return scale;
}

export async function svgToPng(page: { width: number; height: number; svg: string }): Promise<Blob> {
	const scale = pngScale(page.width, page.height);
	const url = URL.createObjectURL(new Blob([page.svg], { type: 'image/svg+xml' }));
	try {
		const image = new Image();
		await new Promise<void>((resolve, reject) => {
			image.onload = () => resolve();
			image.onerror = () => reject(new Error('the drawing could not be read'));
			image.src = url;
		});
		const canvas = document.createElement('canvas');
		canvas.width = Math.round(page.width * scale);
		canvas.height = Math.round(page.height * scale);
		const context = canvas.getContext('2d');
		if (!context) throw new Error('no canvas');
		context.drawImage(image, 0, 0, canvas.width, canvas.height);
		return await new Promise<Blob>((resolve, reject) =>
			canvas.toBlob(
				(blob) => (blob ? resolve(blob) : reject(new Error('the canvas gave no image'))),
				'image/png'
			)
		);
	} finally {
		URL.revokeObjectURL(url);
	}
}

/** Saves `blob` as `name` through the browser's download. */
export function download(blob: Blob, name: string): void {
	const url = URL.createObjectURL(blob);
	const a = document.createElement('a');
	a.href = url;
	a.download = name;
	document.body.append(a);
	a.click();
	a.remove();
	// The download has started from the URL by now; a later revoke keeps slow browsers safe.
	setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
