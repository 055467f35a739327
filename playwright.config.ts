import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.E2E_PORT || 4319);
const DATA_DIR = process.env.E2E_DATA_DIR || 'tests/.artifacts/e2e-data';

export default defineConfig({
	testDir: 'tests/e2e',
	outputDir: process.env.E2E_OUTPUT_DIR || 'tests/.artifacts/playwright',
	fullyParallel: false,
	workers: 1,
	retries: 0,
	timeout: 60_000,
	reporter: [['list']],
	use: {
		baseURL: `http://localhost:${PORT}`,
		locale: 'en-GB',
		trace: 'retain-on-failure',
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
			args: [
				'--headless',
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--no-first-run'
			]
		}
	},
	webServer: {
		// A fresh embedded database for every run; the built app, as `npm start` serves it.
		command: `rm -rf ${DATA_DIR} && node --import tsx server/index.ts`,
		url: `http://localhost:${PORT}/api/health`,
		reuseExistingServer: false,
		timeout: 120_000,
		env: {
			PORT: String(PORT),
			HOST: '127.0.0.1',
			DATA_DIR,
			SEED_DEMO: 'true',
			LOG_LEVEL: 'info',
			SIGNUP_LIMIT_PER_IP: '1000'
		},
		stdout: 'pipe'
	}
});
