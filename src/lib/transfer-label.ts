import type { TransferMechanism } from '../schemas/subprocessor.ts';
import { t, type UiKey } from '../i18n/ui.ts';
import type { Lang } from './paths.ts';

const LABELS: Record<TransferMechanism['type'], UiKey> = {
  adequacy: 'transferAdequacy',
  'eu-us-dpf': 'transferDpf',
  scc: 'transferScc',
  bcr: 'transferBcr',
  art49: 'transferArt49',
};

/** How a transfer mechanism is named on every surface (pages, PDF): "Standardvertragsklauseln, Modul 3". */
export function transferLabel(lang: Lang, mechanism: TransferMechanism): string {
  return mechanism.type === 'scc' && mechanism.sccModule !== undefined
    ? `${t(lang, 'transferScc')}, ${t(lang, 'transferSccModule')} ${mechanism.sccModule}`
    : t(lang, LABELS[mechanism.type]);
}
