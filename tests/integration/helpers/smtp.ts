/** A real SMTP server on port 0 that keeps every message it receives, for the e-mail tests. */
import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
	to: string;
	subject: string;
	text: string;
	html: string;
}

export interface MailCatcher {
	received: ReceivedMail[];
	port: number;
	url: string;
	close(): Promise<void>;
}

export async function catchMail(): Promise<MailCatcher> {
	const received: ReceivedMail[] = [];
	const smtp = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		onData(stream, _session, callback) {
			simpleParser(stream).then(
				(m) => {
					received.push({
						to: (Array.isArray(m.to) ? m.to[0] : m.to)?.value[0]?.address ?? '',
						subject: m.subject ?? '',
						text: m.text ?? '',
						html: typeof m.html === 'string' ? m.html : ''
					});
					callback();
				},
				(e: Error) => callback(e)
			);
		}
	});
	await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
	const port = (smtp.server.address() as AddressInfo).port;
	return {
		received,
		port,
		url: `smtp://127.0.0.1:${port}`,
		close: () => new Promise<void>((resolve) => smtp.close(() => resolve()))
	};
}
