import type { Change } from '../schemas/change.ts';
import type { Lang } from '../schemas/lang.ts';
import { t, type UiKey } from './ui.ts';

const KIND_LABELS: Record<Change['kind'], UiKey> = { add: 'kindAdd', replace: 'kindReplace', remove: 'kindRemove', update: 'kindUpdate' };

/** A change's kind as readers see it: on its page, in the feeds and in notices. */
export function changeKindLabel(lang: Lang, kind: Change['kind']): string {
  return t(lang, KIND_LABELS[kind]);
}
