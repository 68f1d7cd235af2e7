//! What happens to a case, as its timeline records it. Each event also names the audit
//! action it is logged under, so a change cannot reach the timeline without its audit entry
//! saying the same thing (the server's pipeline writes both from one value).

use crate::audit::AuditAction;

crate::code_enum! {
    /// One kind of entry on a case's timeline.
    pub enum CaseEvent {
        Registered = "registered",
        DuplicateCheckConfirmed = "duplicate_check_confirmed",
        HouseholdEdited = "household_edited",
        MemberAdded = "member_added",
        MemberEdited = "member_edited",
        /// A member marked as no longer living with the family, or as deceased.
        MemberDeparted = "member_departed",
        MemberDied = "member_died",
        Assigned = "assigned",
        /// Its caseworker's account was deactivated with the cases left for a supervisor.
        Unassigned = "unassigned",
        ConsentGiven = "consent_given",
        ConsentWithdrawn = "consent_withdrawn",
        NoteAdded = "note_added",
        Assessed = "assessed",
        PlanUpdated = "plan_updated",
        ReferralSent = "referral_sent",
        ReferralCancelled = "referral_cancelled",
        ReferralAccepted = "referral_accepted",
        ReferralDeclined = "referral_declined",
        ReferralCompleted = "referral_completed",
        ServiceRecorded = "service_recorded",
        DocumentAdded = "document_added",
        /// Shared with a referral, or no longer (the organisation's name in the text).
        DocumentShared = "document_shared",
        DocumentUnshared = "document_unshared",
        DocumentDeleted = "document_deleted",
        /// A new code for the referral slip (the organisation's name in the text).
        ReferralCodeIssued = "referral_code_issued",
        FollowUpScheduled = "follow_up_scheduled",
        FollowUpDone = "follow_up_done",
        FollowUpMissed = "follow_up_missed",
        FollowUpCancelled = "follow_up_cancelled",
        ClosureRequested = "closure_requested",
        ClosureReturned = "closure_returned",
        CaseClosed = "case_closed",
        CaseReopened = "case_reopened",
        /// Proposed to move to another province's team; the proposal withdrawn, declined or
        /// accepted (the case then in its new province, with its new caseworker).
        TransferProposed = "transfer_proposed",
        TransferWithdrawn = "transfer_withdrawn",
        TransferDeclined = "transfer_declined",
        TransferAccepted = "transfer_accepted",
        /// The survivor of a merge received the other record (its number in the text).
        CasesMerged = "cases_merged",
        /// This record was merged into the survivor (its number in the text).
        MergedInto = "merged_into",
        MergeUndone = "merge_undone",
        /// A supervisor looked at a possible duplicate and found two families.
        DuplicateDismissed = "duplicate_dismissed",
        /// The retention period after closure ended: personal data removed by the system.
        Anonymised = "anonymised",
        ErasureRequested = "erasure_requested",
        ErasureReturned = "erasure_returned",
        /// Written only to be deleted with the rest: its audit entry is what remains.
        Erased = "erased",
    }
}

impl CaseEvent {
    /// The audit action the event is logged under.
    pub fn audit_action(self) -> AuditAction {
        use AuditAction as A;
        use CaseEvent as E;
        match self {
            E::Registered => A::CaseRegistered,
            E::DuplicateCheckConfirmed => A::DuplicateCheckConfirmed,
            E::HouseholdEdited
            | E::MemberAdded
            | E::MemberEdited
            | E::MemberDeparted
            | E::MemberDied => A::CaseEdited,
            E::Assigned | E::Unassigned => A::CaseAssigned,
            E::ConsentGiven => A::ConsentGiven,
            E::ConsentWithdrawn => A::ConsentWithdrawn,
            E::NoteAdded => A::CaseNoteAdded,
            E::Assessed => A::AssessmentRecorded,
            E::PlanUpdated => A::PlanUpdated,
            E::ReferralSent => A::ReferralSent,
            E::ReferralCancelled => A::ReferralCancelled,
            E::ReferralAccepted => A::ReferralAccepted,
            E::ReferralDeclined => A::ReferralDeclined,
            E::ReferralCompleted => A::ReferralCompleted,
            E::ServiceRecorded => A::ServiceRecorded,
            E::ReferralCodeIssued => A::ReferralCodeIssued,
            E::DocumentAdded => A::DocumentAdded,
            E::DocumentShared => A::DocumentShared,
            E::DocumentUnshared => A::DocumentUnshared,
            E::DocumentDeleted => A::DocumentDeleted,
            E::FollowUpScheduled => A::FollowUpScheduled,
            E::FollowUpDone => A::FollowUpDone,
            E::FollowUpMissed => A::FollowUpMissed,
            E::FollowUpCancelled => A::FollowUpCancelled,
            E::ClosureRequested => A::ClosureRequested,
            E::ClosureReturned => A::ClosureReturned,
            E::CaseClosed => A::CaseClosed,
            E::CaseReopened => A::CaseReopened,
            E::TransferProposed => A::TransferProposed,
            E::TransferWithdrawn => A::TransferWithdrawn,
            E::TransferDeclined => A::TransferDeclined,
            E::TransferAccepted => A::TransferAccepted,
            E::CasesMerged | E::MergedInto => A::CasesMerged,
            E::MergeUndone => A::MergeUndone,
            E::DuplicateDismissed => A::DuplicateDismissed,
            E::Anonymised => A::CaseAnonymised,
            E::ErasureRequested => A::ErasureRequested,
            E::ErasureReturned => A::ErasureReturned,
            E::Erased => A::FamilyErased,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_is_audited_under_an_action_of_its_own_kind() {
        for e in CaseEvent::ALL {
            let a = e.audit_action();
            assert!(!a.is_read(), "{e} is a change, logged as a read");
            assert_eq!(AuditAction::parse(a.as_str()), Some(a));
        }
    }
}
