import type { TransferMechanism } from '../schemas/subprocessor.ts';
import { t, type UiKey } from '../i18n/ui.ts';
import type { Lang } from './paths.ts';

const LABELS: Record<TransferMechanism['type'], UiKey> = {
  adequacy: 'transferAdequacy',
  'eu-us-dpf': 'transferDpf',
  scc: 'transferScc',
  bcr: 'transferBcr',
  art49: 'transferArt49',
  'privacy-shield': 'transferPrivacyShield',
};

/** How a transfer mechanism is named on every surface (pages, PDF): "Standardvertragsklauseln, Modul 3". */
export function transferLabel(lang: Lang, mechanism: TransferMechanism): string {
  if (mechanism.type !== 'scc') return t(lang, LABELS[mechanism.type]);
  const module = mechanism.sccModule === undefined || mechanism.sccModule === 'not-stated' ? t(lang, 'notStated') : mechanism.sccModule;
  return `${t(lang, 'transferScc')}, ${t(lang, 'transferSccModule')} ${module}`;
}
