import { langPaths } from '../../../lib/lang-paths.ts';
import { calendarRoute } from '../../../lib/feeds/routes.ts';

export const prerender = true;
export const getStaticPaths = () => langPaths();
export const GET = calendarRoute();
