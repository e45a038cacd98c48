import { feedRoute } from '../../../lib/feeds/routes.ts';

export const prerender = true;
export const GET = feedRoute('en', 'atom');
