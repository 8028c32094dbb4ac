/** The console is a single-page app: rendered in the browser, from the one fallback page. */
export const ssr = false;
export const prerender = false;
export const trailingSlash = 'never';
