import type { Locale } from '$lib/i18n';
import type { SessionUser } from '$lib/server/auth/session';
import type { Session } from '$lib/server/db/schema';
import type { Db } from '$lib/server/db';
import type { Config } from '$lib/server/config';

declare global {
	namespace App {
		interface Locals {
			db: Db;
			config: Config;
			user: SessionUser | null;
			session: Session | null;
			locale: Locale;
		}
		interface Error {
			message: string;
			code?: string;
		}
		interface PageData {
			locale: Locale;
		}
	}
}

export {};
