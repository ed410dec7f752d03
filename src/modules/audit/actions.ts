/**
 * Every action an audit entry may record: a closed list, so a history screen, a report or an
 * investigator can rely on the names, and a typo does not create a new kind of event silently.
 * `recordAudit`/`recordAudits` accept only these. To add one: add it here (named
 * `<entity>.<past participle>`), write it in the same transaction as the change, and
 * `actions.test.ts` checks that every listed action is written somewhere and every written one listed.
 */
export const AUDIT_ACTIONS = [
  // accounts
  'user.created',
  'user.updated',
  'user.password_changed',
  'user.password_reset',
  // reference data (administrative units)
  'reference_data.load',
  // subjects
  'subject.created',
  'subject.updated',
  'subject.archived',
  'subject.restored',
  // products and craft villages
  'product.created',
  'product.updated',
  'product.photo_added',
  'product.photo_removed',
  'product.photos_reordered',
  'product.registered',
  'product.archived',
  'product.restored',
  'craft_village.created',
  'craft_village.updated',
  'craft_village.archived',
  'craft_village.restored',
  // criteria
  'criteria.rule_set.imported',
  'criteria.rule_set.parameters_set',
  'criteria.rule_set.activated',
  'criteria.rule_set.retired',
  'criteria.sheet.imported',
  'criteria.sheet.activated',
  'criteria.sheet.retired',
  // evaluation: cycles, dossiers and their documents
  'evaluation.cycle.created',
  'evaluation.dossier.created',
  'evaluation.dossier.registration_form_saved',
  'evaluation.dossier.self_assessment_saved',
  'evaluation.dossier.document_added',
  'evaluation.dossier.document_removed',
  // evaluation: a dossier's steps, `evaluation.dossier.<action>` for each of evaluation's DOSSIER_ACTIONS
  'evaluation.dossier.submit',
  'evaluation.dossier.resubmit',
  'evaluation.dossier.withdraw',
  'evaluation.dossier.precheck',
  'evaluation.dossier.return',
  'evaluation.dossier.accept',
  'evaluation.dossier.assign',
  'evaluation.dossier.close_scoring',
  'evaluation.dossier.reopen_scoring',
  'evaluation.dossier.propose',
  'evaluation.dossier.recognise',
  'evaluation.dossier.not_recognise',
  // evaluation: councils, scoring, advisory review, results and decisions
  'evaluation.council.created',
  'evaluation.council.member_added',
  'evaluation.council.conflict_declared',
  'evaluation.sheet.saved',
  'evaluation.sheet.submitted',
  'evaluation.sheet.reopened',
  'evaluation.result.computed',
  'evaluation.advisory_review.recorded',
  'evaluation.advisory_review.updated',
  'evaluation.results.published',
  'evaluation.decision.created',
  // certificates
  'certificate.issued',
  'certificate.revoked',
  'certificate.corrected',
  // verification: the signing keys
  'verification.signing_key_sealed',
  'verification.signing_key_rotated',
  'verification.signing_kek_rotated',
  // notifications
  'notification.read',
  'notification.dispatched',
  // registry imports
  'import.uploaded',
  'import.mapped',
  'import.sheet_chosen',
  'import.checked',
  'import.decided',
  'import.commit.requested',
  'import.row.created',
  'import.committed',
  'import.interrupted',
  'import.failed',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

const KNOWN = new Set<string>(AUDIT_ACTIONS);

export function isAuditAction(value: string): value is AuditAction {
  return KNOWN.has(value);
}
