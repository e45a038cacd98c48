import type { AcceptanceStatus, RecipientDeadlineStatus } from '../domain/console-status.ts';
import type { ChangeStatus } from '../domain/change-terms.ts';
import { t, type UiKey } from '../i18n/ui.ts';
import type { Lang } from '../schemas/lang.ts';
import type { ChangeView, InvitationView, LedgerView } from './admin-views.ts';

/** The console's words for its statuses, from the one catalogue (src/i18n/ui.ts). */
const ACCEPTANCE: Record<AcceptanceStatus, UiKey> = { current: 'adminStatusCurrent', outdated: 'adminStatusOutdated', none: 'adminStatusNone' };
const DEADLINE: Record<RecipientDeadlineStatus, UiKey> = { open: 'adminDeadlineOpen', passed: 'adminDeadlinePassed', 'not-received': 'adminDeadlineNotReceived', 'no-fixed-period': 'adminDeadlineNoFixed' };
const INVITATION: Record<InvitationView['state'], UiKey> = { sending: 'adminInvitationSending', sent: 'adminInvitationSent', failed: 'adminInvitationFailed' };
const CHANGE_STATUS: Record<ChangeStatus, UiKey> = { 'response-open': 'adminStatusResponseOpen', announced: 'adminStatusAnnounced', effective: 'adminStatusEffective' };
const DISPATCH: Record<ChangeView['dispatch'], UiKey> = { 'not-yet': 'adminDispatchNotYet', sending: 'adminDispatchSending', sent: 'adminDispatchSent', skipped: 'adminDispatchSkipped' };
const WITNESS: Record<LedgerView['witness'], UiKey> = { witnessed: 'adminWitnessWitnessed', missing: 'adminWitnessMissing', 'empty-log': 'adminWitnessEmpty', unavailable: 'adminWitnessUnavailable' };
const RIGHT: Record<string, UiKey> = { objection: 'adminRightObjection', consent: 'adminRightConsent', 'tacit-consent': 'adminRightTacitConsent', information: 'adminRightInformation' };
const KIND: Record<string, UiKey> = { objection: 'adminKindObjection', consent: 'adminKindConsent', refusal: 'adminKindRefusal', withdrawal: 'adminKindWithdrawal' };
const AUDIENCE: Record<string, UiKey> = { pending: 'adminAudiencePending', confirmed: 'adminAudienceConfirmed', unsubscribed: 'adminAudienceUnsubscribed', active: 'adminAudienceActive', disabled: 'adminAudienceDisabled' };

export const acceptanceStatusLabel = (lang: Lang, status: AcceptanceStatus) => t(lang, ACCEPTANCE[status]);
export const deadlineStatusLabel = (lang: Lang, status: RecipientDeadlineStatus) => t(lang, DEADLINE[status]);
export const invitationLabel = (lang: Lang, state: InvitationView['state']) => t(lang, INVITATION[state]);
export const changeStatusLabel = (lang: Lang, status: ChangeStatus) => t(lang, CHANGE_STATUS[status]);
export const dispatchLabel = (lang: Lang, dispatch: ChangeView['dispatch']) => t(lang, DISPATCH[dispatch]);
export const witnessLabel = (lang: Lang, witness: LedgerView['witness']) => t(lang, WITNESS[witness]);
export const rightLabel = (lang: Lang, right: string | null) => t(lang, right === null ? 'adminRightNone' : (RIGHT[right] ?? 'adminRightNone'));
/** A declaration kind; an unknown kind is shown as stored rather than hidden. */
export const declarationKindLabel = (lang: Lang, kind: string) => (KIND[kind] ? t(lang, KIND[kind]) : kind);
export const audienceStatusLabel = (lang: Lang, status: string) => (AUDIENCE[status] ? t(lang, AUDIENCE[status]) : status);
