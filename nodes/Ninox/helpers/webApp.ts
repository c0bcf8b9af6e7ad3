/** The Ninox web app's address for an API base URL: app.ninox.com for Public Cloud, else the server's own host. */
export function webAppOrigin(apiBaseUrl: string): string {
	const origin = new URL(apiBaseUrl).origin;
	return origin === 'https://api.ninox.com' ? 'https://app.ninox.com' : origin;
}
