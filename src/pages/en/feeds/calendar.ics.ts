import { calendarRoute } from '../../../lib/feeds/routes.ts';

export const prerender = true;
export const GET = calendarRoute('en');
