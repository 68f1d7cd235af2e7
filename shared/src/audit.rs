//! What the audit log records: every sign-in and administration change, every change to a
//! case, and every read of case data (who, when, what, from where). The codes are stored;
//! the administrator's page names each in the reader's language.

crate::code_enum! {
    /// One kind of audit entry.
    pub enum AuditAction {
        // Signing in and accounts.
        SignIn = "sign_in",
        SignOut = "sign_out",
        SignInFailed = "sign_in_failed",
        SignInLocked = "sign_in_locked",
        SignInRefusedLocked = "sign_in_refused_locked",
        PasswordChanged = "password_changed",
        PasswordChangeFailed = "password_change_failed",
        PasswordReset = "password_reset",
        // Administration.
        UserCreated = "user_created",
        UserDeactivated = "user_deactivated",
        UserReactivated = "user_reactivated",
        UserAreasChanged = "user_areas_changed",
        OrganisationCreated = "organisation_created",
        OrganisationDeactivated = "organisation_deactivated",
        OrganisationReactivated = "organisation_reactivated",
        DirectoryChanged = "directory_changed",
        // Reads of case data.
        CaseListViewed = "case_list_viewed",
        CaseViewed = "case_viewed",
        ProgressViewed = "progress_viewed",
        AssessmentViewed = "assessment_viewed",
        AssessmentFormOpened = "assessment_form_opened",
        CaseReferralsViewed = "case_referrals_viewed",
        ReferralFormOpened = "referral_form_opened",
        CaseFollowUpsViewed = "case_follow_ups_viewed",
        WorkListViewed = "work_list_viewed",
        /// A supervisor's team page: each caseworker's caseload.
        TeamViewed = "team_viewed",
        AssignableListed = "assignable_listed",
        /// A case's transfer panel (the pending proposal, whom it may go to).
        TransferViewed = "transfer_viewed",
        /// Two records side by side before a merge.
        MergeCompared = "merge_compared",
        InboxViewed = "inbox_viewed",
        ReferralViewed = "referral_viewed",
        /// A document on file opened (or its thumbnail shown).
        DocumentViewed = "document_viewed",
        /// The family page's list of documents.
        CaseDocumentsViewed = "case_documents_viewed",
        /// The printable slip of a referral to an organisation without accounts.
        ReferralSlipViewed = "referral_slip_viewed",
        /// A record that exists was asked for by someone who may not see it (answered as if
        /// it did not exist).
        AccessRefused = "access_refused",
        // Changes to cases (the timeline's events, see `timeline::CaseEvent::audit_action`).
        CaseRegistered = "case_registered",
        DuplicateCheckConfirmed = "duplicate_check_confirmed",
        CaseEdited = "case_edited",
        CaseAssigned = "case_assigned",
        ConsentGiven = "consent_given",
        ConsentWithdrawn = "consent_withdrawn",
        CaseNoteAdded = "case_note_added",
        AssessmentRecorded = "assessment_recorded",
        PlanUpdated = "plan_updated",
        ReferralSent = "referral_sent",
        ReferralCancelled = "referral_cancelled",
        ReferralAccepted = "referral_accepted",
        ReferralDeclined = "referral_declined",
        ReferralCompleted = "referral_completed",
        ServiceRecorded = "service_recorded",
        DocumentAdded = "document_added",
        DocumentShared = "document_shared",
        DocumentUnshared = "document_unshared",
        /// A document deleted, with the reason's code; the file is gone.
        DocumentDeleted = "document_deleted",
        /// A new code for a referral to an organisation without accounts (the old one void).
        ReferralCodeIssued = "referral_code_issued",
        // A referral opened at `/r` with its reference and code, and the attempts that failed.
        ReferralCodeUsed = "referral_code_used",
        ReferralCodeFailed = "referral_code_failed",
        ReferralCodeLocked = "referral_code_locked",
        ReferralCodeRefusedLocked = "referral_code_refused_locked",
        /// A right code of a referral that has ended, or of a code past its time.
        ReferralCodeRefusedEnded = "referral_code_refused_ended",
        FollowUpScheduled = "follow_up_scheduled",
        FollowUpDone = "follow_up_done",
        FollowUpMissed = "follow_up_missed",
        FollowUpCancelled = "follow_up_cancelled",
        ClosureRequested = "closure_requested",
        ClosureReturned = "closure_returned",
        CaseClosed = "case_closed",
        CaseReopened = "case_reopened",
        TransferProposed = "transfer_proposed",
        TransferWithdrawn = "transfer_withdrawn",
        TransferDeclined = "transfer_declined",
        TransferAccepted = "transfer_accepted",
        CasesMerged = "cases_merged",
        MergeUndone = "merge_undone",
        DuplicateDismissed = "duplicate_dismissed",
        // Indicators.
        ExportIndicators = "export_indicators",
        // A family's own data, and retention.
        FamilyExported = "family_exported",
        CaseAnonymised = "case_anonymised",
        ErasureRequested = "erasure_requested",
        ErasureReturned = "erasure_returned",
        FamilyErased = "family_erased",
        /// Audit entries older than their retention period were deleted (how many, in detail).
        AuditPurged = "audit_purged",
    }
}

impl AuditAction {
    /// True for the entries that record a read, not a change.
    pub fn is_read(self) -> bool {
        use AuditAction::*;
        matches!(
            self,
            CaseListViewed
                | CaseViewed
                | ProgressViewed
                | AssessmentViewed
                | AssessmentFormOpened
                | CaseReferralsViewed
                | ReferralFormOpened
                | CaseFollowUpsViewed
                | WorkListViewed
                | TeamViewed
                | AssignableListed
                | TransferViewed
                | MergeCompared
                | InboxViewed
                | ReferralViewed
                | ReferralSlipViewed
                | DocumentViewed
                | CaseDocumentsViewed
                | AccessRefused
                | ExportIndicators
                | FamilyExported
        )
    }
}

crate::code_enum! {
    /// The kind of record an audit entry is about.
    pub enum AuditTarget {
        User = "user",
        /// A sign-in attempt for an address with no account: the address is stored masked.
        Email = "email",
        Organisation = "organisation",
        Family = "family",
        Referral = "referral",
        Document = "document",
    }
}

/// How an address typed into the sign-in form is kept in the audit log when it names no
/// account: people type passwords into the email field, so only its first character and its
/// domain are kept (`m…@example.org`, or `m…` without an `@`).
pub fn masked_email(typed: &str) -> String {
    let typed = typed.trim();
    let first: String = typed.chars().take(1).collect();
    match typed.rsplit_once('@') {
        Some((_, domain)) if !domain.is_empty() => {
            let domain: String = domain.chars().take(100).collect();
            format!("{first}…@{domain}")
        }
        _ => format!("{first}…"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_address_keeps_only_its_first_letter_and_domain() {
        assert_eq!(masked_email("mohammad@morr.gov.af"), "m…@morr.gov.af");
        assert_eq!(masked_email("  Secret-Passw0rd "), "S…");
        assert_eq!(masked_email(""), "…");
    }
}
