//! Domain values and errors in the user's language. Every visible string comes from the
//! catalogues in `locales/`.

use crate::error::AppError;
use crate::i18n::*;
use leptos_i18n::I18nContext;
use shared::organisation::OrgKind;
use shared::{Country, FieldError, Role};

pub type I18n = I18nContext<Locale>;

/// Whatever knows the reader's language: a page's i18n context, or a plain locale where there
/// is no page (exports and emails, written on the server).
pub trait Lang: Copy {
    fn locale(self) -> Locale;
}

impl Lang for I18n {
    fn locale(self) -> Locale {
        self.get_locale_untracked()
    }
}

impl Lang for Locale {
    fn locale(self) -> Locale {
        self
    }
}

pub fn role_label(i18n: I18n, role: Role) -> &'static str {
    match role {
        Role::Caseworker => tu_string!(i18n, roles.caseworker),
        Role::Supervisor => tu_string!(i18n, roles.supervisor),
        Role::Partner => tu_string!(i18n, roles.partner),
        Role::ProgrammeManager => tu_string!(i18n, roles.programme_manager),
        Role::Admin => tu_string!(i18n, roles.admin),
    }
}

pub fn org_kind_label(i18n: I18n, kind: OrgKind) -> &'static str {
    match kind {
        OrgKind::Ministry => tu_string!(i18n, org_kinds.ministry),
        OrgKind::Partner => tu_string!(i18n, org_kinds.partner),
        OrgKind::Programme => tu_string!(i18n, org_kinds.programme),
    }
}

pub fn country_label(lang: impl Lang, country: Option<Country>) -> &'static str {
    let locale = lang.locale();
    match country {
        Some(Country::AF) => td_string!(locale, countries.AF),
        Some(Country::IQ) => td_string!(locale, countries.IQ),
        None => td_string!(locale, countries.none),
    }
}

pub fn field_error_text(i18n: I18n, e: &FieldError) -> String {
    match e {
        FieldError::Required => tu_string!(i18n, field_errors.required).to_string(),
        FieldError::TooShort { min } => {
            tu_string!(i18n, field_errors.too_short, min = *min).to_string()
        }
        FieldError::TooLong { max } => {
            tu_string!(i18n, field_errors.too_long, max = *max).to_string()
        }
        FieldError::TooManyWords { max } => {
            tu_string!(i18n, field_errors.too_many_words, max = *max).to_string()
        }
        FieldError::InvalidEmail => tu_string!(i18n, field_errors.invalid_email).to_string(),
        FieldError::InvalidChoice => tu_string!(i18n, field_errors.invalid_choice).to_string(),
        FieldError::InvalidFormat => tu_string!(i18n, field_errors.invalid_format).to_string(),
        FieldError::InvalidDate => tu_string!(i18n, field_errors.invalid_date).to_string(),
        FieldError::DateInFuture => tu_string!(i18n, field_errors.date_in_future).to_string(),
        FieldError::NotANumber => tu_string!(i18n, field_errors.not_a_number).to_string(),
        FieldError::OutOfRange { min, max } => {
            tu_string!(i18n, field_errors.out_of_range, min = *min, max = *max).to_string()
        }
        FieldError::AlreadyTaken => tu_string!(i18n, field_errors.already_taken).to_string(),
        FieldError::OutsideCountry => tu_string!(i18n, field_errors.outside_country).to_string(),
        FieldError::OutsideYourAreas => {
            tu_string!(i18n, field_errors.outside_your_areas).to_string()
        }
        FieldError::RoleDoesNotFitOrganisation => {
            tu_string!(i18n, field_errors.role_does_not_fit_organisation).to_string()
        }
        FieldError::OwnAccount => tu_string!(i18n, field_errors.own_account).to_string(),
        FieldError::WrongPassword => tu_string!(i18n, field_errors.wrong_password).to_string(),
        FieldError::DoesNotMatch => tu_string!(i18n, field_errors.does_not_match).to_string(),
        FieldError::AlreadyReferred => tu_string!(i18n, field_errors.already_referred).to_string(),
        FieldError::OneMinistryPerCountry => {
            tu_string!(i18n, field_errors.one_ministry_per_country).to_string()
        }
        FieldError::TooManyChosen { max } => {
            tu_string!(i18n, field_errors.too_many_chosen, max = *max).to_string()
        }
        FieldError::NotInCaseAreas => tu_string!(i18n, field_errors.not_in_case_areas).to_string(),
        FieldError::SameProvince => tu_string!(i18n, field_errors.same_province).to_string(),
        FieldError::NotForThisReturn => {
            tu_string!(i18n, field_errors.not_for_this_return).to_string()
        }
        FieldError::FileTooLarge { max_mb } => {
            tu_string!(i18n, field_errors.file_too_large, max = *max_mb).to_string()
        }
        FieldError::FileTypeNotAllowed => {
            tu_string!(i18n, field_errors.file_type_not_allowed).to_string()
        }
        FieldError::FileNameMismatch => {
            tu_string!(i18n, field_errors.file_name_mismatch).to_string()
        }
        FieldError::FileUnreadable => tu_string!(i18n, field_errors.file_unreadable).to_string(),
        FieldError::HeadMustBePresent => {
            tu_string!(i18n, field_errors.head_must_be_present).to_string()
        }
        FieldError::OneHead => tu_string!(i18n, field_errors.one_head).to_string(),
        FieldError::PendingRequest => tu_string!(i18n, field_errors.pending_request).to_string(),
    }
}

pub fn app_error_text(i18n: I18n, e: &AppError) -> &'static str {
    match e {
        AppError::Unauthenticated => tu_string!(i18n, errors.unauthenticated),
        AppError::NotFound => tu_string!(i18n, errors.not_found),
        AppError::Forbidden => tu_string!(i18n, errors.forbidden),
        AppError::Invalid(_) => tu_string!(i18n, errors.invalid),
        AppError::Conflict => tu_string!(i18n, errors.conflict),
        AppError::NoSharingConsent => tu_string!(i18n, errors.no_sharing_consent),
        AppError::CaseClosed => tu_string!(i18n, errors.case_closed),
        AppError::CaseAnonymised => tu_string!(i18n, errors.case_anonymised),
        AppError::CaseMerged => tu_string!(i18n, errors.case_merged),
        AppError::PossibleDuplicates(_) => tu_string!(i18n, errors.possible_duplicates),
        AppError::BadCredentials => tu_string!(i18n, errors.bad_credentials),
        AppError::WrongCode => tu_string!(i18n, errors.wrong_code),
        AppError::CodeEnded => tu_string!(i18n, errors.code_ended),
        AppError::LockedOut => tu_string!(i18n, errors.locked_out),
        AppError::Busy => tu_string!(i18n, errors.busy),
        AppError::PasswordChangeRequired => tu_string!(i18n, errors.password_change_required),
        AppError::SecondPersonRequired => tu_string!(i18n, errors.second_person_required),
        AppError::BadRequest => tu_string!(i18n, errors.bad_request),
        AppError::Internal => tu_string!(i18n, errors.internal),
        AppError::Unavailable => tu_string!(i18n, errors.unavailable),
        AppError::Network => tu_string!(i18n, errors.network),
    }
}

/// The name of a province/governorate as the user reads it: in the local script for Dari,
/// Pashto and Arabic readers, in English otherwise.
pub fn location_name(lang: impl Lang, key: &str) -> String {
    match shared::location::by_key(key) {
        Some(l) if lang.locale() != Locale::en => l.name_local.clone(),
        Some(l) => l.name_en.clone(),
        None => key.to_string(),
    }
}

/// Declares a function that names each value of a code enum in the user's language.
macro_rules! labels {
    ($(#[$meta:meta])* $name:ident: $ty:ident { $($variant:ident => $($key:ident).+),+ $(,)? }) => {
        $(#[$meta])*
        pub fn $name(lang: impl Lang, v: $ty) -> &'static str {
            let locale = lang.locale();
            match v {
                $( $ty::$variant => td_string!(locale, $($key).+), )+
            }
        }
    };
}

use shared::assessment::Dimension;
use shared::audit::AuditAction;
use shared::document::{DeleteReason, DocumentKind};
use shared::family::transfer::TransferReason;
use shared::family::{
    CaseStatus, ConsentKind, DocumentType, Education, Presence, Relationship, ReturnType, Sex,
    SpecificNeed,
};
use shared::follow_up::{ClosureReason, FollowUpKind, FollowUpStatus, WorkList};
use shared::overview::{AgeGroup, Column, FollowUpOutcome, Measure, SinceReturn, TableId, Wait};
use shared::plan::PlanStatus;
use shared::referral::{InboxTab, ReferralStatus};
use shared::retention::ErasureReason;
use shared::service::ServiceCategory;
use shared::timeline::CaseEvent;

labels!(status_label: CaseStatus {
    Registered => statuses.registered,
    Assessed => statuses.assessed,
    InProgress => statuses.in_progress,
    Closed => statuses.closed,
});

labels!(return_type_label: ReturnType {
    VoluntaryAssisted => return_types.voluntary_assisted,
    Deported => return_types.deported,
    Spontaneous => return_types.spontaneous,
    IdpReturn => return_types.idp_return,
});

labels!(sex_label: Sex { Female => sexes.female, Male => sexes.male });

labels!(relationship_label: Relationship {
    Head => relationships.head,
    Spouse => relationships.spouse,
    Son => relationships.son,
    Daughter => relationships.daughter,
    Father => relationships.father,
    Mother => relationships.mother,
    Brother => relationships.brother,
    Sister => relationships.sister,
    Grandchild => relationships.grandchild,
    Grandparent => relationships.grandparent,
    OtherRelative => relationships.other_relative,
    NotRelated => relationships.not_related,
});

labels!(education_label: Education {
    NoSchooling => education.none,
    Primary => education.primary,
    Secondary => education.secondary,
    Vocational => education.vocational,
    Higher => education.higher,
    Unknown => education.unknown,
});

labels!(document_type_label: DocumentType {
    Tazkira => document_types.tazkira,
    NationalId => document_types.national_id,
    Passport => document_types.passport,
    PorCard => document_types.por_card,
    CivilStatusId => document_types.civil_status_id,
});

labels!(presence_label: Presence {
    Present => presences.present,
    Departed => presences.departed,
    Deceased => presences.deceased,
});

labels!(need_label: SpecificNeed {
    UnaccompaniedMinor => needs.unaccompanied_minor,
    FemaleHeadedHousehold => needs.female_headed_household,
    OlderPerson => needs.older_person,
    Disability => needs.disability,
    ChronicIllness => needs.chronic_illness,
    TraffickingSurvivor => needs.trafficking_survivor,
});

labels!(service_label: ServiceCategory {
    Livelihood => services.livelihood,
    VocationalTraining => services.vocational_training,
    CashAssistance => services.cash_assistance,
    Housing => services.housing,
    Health => services.health,
    Psychosocial => services.psychosocial,
    LegalDocumentation => services.legal_documentation,
    Education => services.education,
    FamilyTracing => services.family_tracing,
});

labels!(plan_status_label: PlanStatus {
    Proposed => plan_statuses.proposed,
    Planned => plan_statuses.planned,
    InProgress => plan_statuses.in_progress,
    Done => plan_statuses.done,
    Cancelled => plan_statuses.cancelled,
});

labels!(referral_status_label: ReferralStatus {
    Sent => referral_statuses.sent,
    Accepted => referral_statuses.accepted,
    Declined => referral_statuses.declined,
    Completed => referral_statuses.completed,
    Cancelled => referral_statuses.cancelled,
});

labels!(inbox_tab_label: InboxTab {
    New => inbox_tabs.new_referrals,
    Accepted => inbox_tabs.accepted,
    Overdue => inbox_tabs.overdue,
    Completed => inbox_tabs.completed,
});

labels!(follow_up_kind_label: FollowUpKind {
    HomeVisit => follow_up_kinds.home_visit,
    PhoneCall => follow_up_kinds.phone_call,
    OfficeVisit => follow_up_kinds.office_visit,
});

labels!(follow_up_status_label: FollowUpStatus {
    Scheduled => follow_up_statuses.scheduled,
    Done => follow_up_statuses.done,
    Missed => follow_up_statuses.missed,
    Cancelled => follow_up_statuses.cancelled,
});

labels!(closure_reason_label: ClosureReason {
    Reintegrated => closure_reasons.reintegrated,
    ReMigrated => closure_reasons.re_migrated,
    MovedAway => closure_reasons.moved_away,
    LostContact => closure_reasons.lost_contact,
    DeclinedServices => closure_reasons.declined_services,
    Deceased => closure_reasons.deceased,
    Duplicate => closure_reasons.duplicate,
    RegisteredInError => closure_reasons.registered_in_error,
});

labels!(work_list_label: WorkList {
    Today => work_lists.today,
    ThisWeek => work_lists.week,
    Overdue => work_lists.overdue,
    Lost => work_lists.lost,
    Referrals => work_lists.referrals,
    Closures => work_lists.closures,
    Transfers => work_lists.transfers,
    Duplicates => work_lists.duplicates,
});

labels!(transfer_reason_label: TransferReason {
    FamilyMoved => transfer.reasons.family_moved,
    JoinedRelatives => transfer.reasons.joined_relatives,
    Livelihood => transfer.reasons.livelihood,
    Security => transfer.reasons.security,
    Other => transfer.reasons.other,
});

labels!(dimension_label: Dimension {
    Economic => dimensions.economic,
    Social => dimensions.social,
    Psychosocial => dimensions.psychosocial,
});

labels!(consent_kind_label: ConsentKind {
    Registration => consent_kinds.registration,
    Sharing => consent_kinds.sharing,
});

labels!(table_title: TableId {
    Registrations => overview.tables.registrations,
    Monthly => overview.tables.monthly,
    SexAge => overview.tables.sex_age,
    Needs => overview.tables.needs,
    ReturnTypes => overview.tables.return_types,
    Assessments => overview.tables.assessments,
    FirstAssessment => overview.tables.first_assessment,
    ReferralsByService => overview.tables.referrals_by_service,
    ReferralsByOrganisation => overview.tables.referrals_by_organisation,
    OutcomesByService => overview.tables.outcomes_by_service,
    OutcomesByOrganisation => overview.tables.outcomes_by_organisation,
    FollowUps => overview.tables.follow_ups,
    Closures => overview.tables.closures,
});

labels!(measure_label: Measure {
    Registered => overview.headline.measures.registered,
    AssessedWithin30Days => overview.headline.measures.assessed_within_30_days,
    ReferralsAccepted => overview.headline.measures.referrals_accepted,
    ReferralsCompleted => overview.headline.measures.referrals_completed,
    FollowUpsOnTime => overview.headline.measures.follow_ups_on_time,
    LostToFollowUp => overview.headline.measures.lost_to_follow_up,
    ScoreChange => overview.headline.measures.score_change,
});

labels!(column_label: Column {
    Families => overview.columns.families,
    Individuals => overview.columns.individuals,
    Female => overview.columns.female,
    Male => overview.columns.male,
    Total => overview.columns.total,
    Count => overview.columns.count,
    Assessments => overview.columns.assessments,
    Economic => overview.columns.economic,
    Social => overview.columns.social,
    Psychosocial => overview.columns.psychosocial,
    Composite => overview.columns.composite,
    Sent => overview.columns.sent,
    Accepted => overview.columns.accepted,
    AcceptanceRate => overview.columns.acceptance_rate,
    MedianDaysToRespond => overview.columns.median_days_to_respond,
    Completed => overview.columns.completed,
    CompletionRate => overview.columns.completion_rate,
    MedianDays => overview.columns.median_days,
    Compared => overview.columns.compared,
    EconomicChange => overview.columns.economic_change,
    SocialChange => overview.columns.social_change,
    PsychosocialChange => overview.columns.psychosocial_change,
    CompositeChange => overview.columns.composite_change,
});

labels!(age_group_label: AgeGroup {
    Under5 => overview.age_groups.under_5,
    Child => overview.age_groups.child,
    Adult => overview.age_groups.adult,
    Older => overview.age_groups.older,
});

labels!(since_return_label: SinceReturn {
    UpTo3 => overview.since_return.up_to_3,
    UpTo6 => overview.since_return.up_to_6,
    UpTo12 => overview.since_return.up_to_12,
    UpTo24 => overview.since_return.up_to_24,
    Over24 => overview.since_return.over_24,
});

labels!(wait_label: Wait {
    Week => overview.wait.week,
    Month => overview.wait.month,
    Quarter => overview.wait.quarter,
    Longer => overview.wait.longer,
    NotYet => overview.wait.not_yet,
});

labels!(outcome_label: FollowUpOutcome {
    OnTime => overview.outcomes.on_time,
    Late => overview.outcomes.late,
    Missed => overview.outcomes.missed,
    Overdue => overview.outcomes.overdue,
    Lost => overview.outcomes.lost,
});

/// `(code, label)` pairs of a code enum, for a select.
pub fn options<T: Copy>(
    i18n: I18n,
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(I18n, T) -> &'static str,
) -> Vec<(String, String)> {
    all.iter()
        .map(|v| (code(*v).to_string(), label(i18n, *v).to_string()))
        .collect()
}

/// The name of a country people return from.
pub fn origin_label(i18n: I18n, code: &str) -> &'static str {
    match code {
        "IR" => tu_string!(i18n, origins.IR),
        "PK" => tu_string!(i18n, origins.PK),
        "TR" => tu_string!(i18n, origins.TR),
        "DE" => tu_string!(i18n, origins.DE),
        "GR" => tu_string!(i18n, origins.GR),
        "AT" => tu_string!(i18n, origins.AT),
        "SE" => tu_string!(i18n, origins.SE),
        "GB" => tu_string!(i18n, origins.GB),
        "FR" => tu_string!(i18n, origins.FR),
        "IT" => tu_string!(i18n, origins.IT),
        "NL" => tu_string!(i18n, origins.NL),
        "BE" => tu_string!(i18n, origins.BE),
        "NO" => tu_string!(i18n, origins.NO),
        "SY" => tu_string!(i18n, origins.SY),
        "JO" => tu_string!(i18n, origins.JO),
        "LB" => tu_string!(i18n, origins.LB),
        "RU" => tu_string!(i18n, origins.RU),
        _ => tu_string!(i18n, origins.XX),
    }
}

/// The label of a household field (listing what an edit changed).
pub fn household_field_label(i18n: I18n, field: &str) -> &'static str {
    match field {
        "province" => tu_string!(i18n, family.province),
        "district" => tu_string!(i18n, family.district),
        "address" => tu_string!(i18n, family.address),
        "phone" => tu_string!(i18n, family.phone),
        "return_date" => tu_string!(i18n, family.return_date),
        "returned_from" => tu_string!(i18n, family.returned_from),
        "displaced_from" => tu_string!(i18n, family.displaced_from),
        _ => tu_string!(i18n, family.return_type),
    }
}

labels!(
    /// Why a family's record is to be erased.
    erasure_reason_label: ErasureReason {
        FamilyRequest => erasure.reasons.family_request,
        RegisteredInError => erasure.reasons.registered_in_error,
        LegalOrder => erasure.reasons.legal_order,
    }
);

labels!(
    /// What an event on a case's timeline was.
    event_label: CaseEvent {
        Registered => events.registered,
        DuplicateCheckConfirmed => events.duplicate_check_confirmed,
        HouseholdEdited => events.household_edited,
        MemberAdded => events.member_added,
        MemberEdited => events.member_edited,
        MemberDeparted => events.member_departed,
        MemberDied => events.member_died,
        Assigned => events.assigned,
        Unassigned => events.unassigned,
        ConsentGiven => events.consent_given,
        ConsentWithdrawn => events.consent_withdrawn,
        NoteAdded => events.note_added,
        Assessed => events.assessed,
        PlanUpdated => events.plan_updated,
        ReferralSent => events.referral_sent,
        ReferralCancelled => events.referral_cancelled,
        ReferralAccepted => events.referral_accepted,
        ReferralDeclined => events.referral_declined,
        ReferralCompleted => events.referral_completed,
        ServiceRecorded => events.service_recorded,
        ReferralCodeIssued => events.referral_code_issued,
        DocumentAdded => events.document_added,
        DocumentShared => events.document_shared,
        DocumentUnshared => events.document_unshared,
        DocumentDeleted => events.document_deleted,
        FollowUpScheduled => events.follow_up_scheduled,
        FollowUpDone => events.follow_up_done,
        FollowUpMissed => events.follow_up_missed,
        FollowUpCancelled => events.follow_up_cancelled,
        ClosureRequested => events.closure_requested,
        ClosureReturned => events.closure_returned,
        CaseClosed => events.case_closed,
        CaseReopened => events.case_reopened,
        TransferProposed => events.transfer_proposed,
        TransferWithdrawn => events.transfer_withdrawn,
        TransferDeclined => events.transfer_declined,
        TransferAccepted => events.transfer_accepted,
        CasesMerged => events.cases_merged,
        MergedInto => events.merged_into,
        MergeUndone => events.merge_undone,
        DuplicateDismissed => events.duplicate_dismissed,
        Anonymised => events.anonymised,
        ErasureRequested => events.erasure_requested,
        ErasureReturned => events.erasure_returned,
        Erased => events.erased,
    }
);

labels!(
    /// What an entry of the audit log records.
    audit_action_label: AuditAction {
        SignIn => admin.audit_actions.sign_in,
        SignOut => admin.audit_actions.sign_out,
        SignInFailed => admin.audit_actions.sign_in_failed,
        SignInLocked => admin.audit_actions.sign_in_locked,
        SignInRefusedLocked => admin.audit_actions.sign_in_refused_locked,
        PasswordChanged => admin.audit_actions.password_changed,
        PasswordChangeFailed => admin.audit_actions.password_change_failed,
        PasswordReset => admin.audit_actions.password_reset,
        UserCreated => admin.audit_actions.user_created,
        UserDeactivated => admin.audit_actions.user_deactivated,
        UserReactivated => admin.audit_actions.user_reactivated,
        UserAreasChanged => admin.audit_actions.user_areas_changed,
        OrganisationCreated => admin.audit_actions.organisation_created,
        OrganisationDeactivated => admin.audit_actions.organisation_deactivated,
        OrganisationReactivated => admin.audit_actions.organisation_reactivated,
        DirectoryChanged => admin.audit_actions.directory_changed,
        CaseListViewed => admin.audit_actions.case_list_viewed,
        CaseViewed => admin.audit_actions.case_viewed,
        ProgressViewed => admin.audit_actions.progress_viewed,
        AssessmentViewed => admin.audit_actions.assessment_viewed,
        AssessmentFormOpened => admin.audit_actions.assessment_form_opened,
        CaseReferralsViewed => admin.audit_actions.case_referrals_viewed,
        ReferralFormOpened => admin.audit_actions.referral_form_opened,
        CaseFollowUpsViewed => admin.audit_actions.case_follow_ups_viewed,
        WorkListViewed => admin.audit_actions.work_list_viewed,
        TeamViewed => admin.audit_actions.team_viewed,
        AssignableListed => admin.audit_actions.assignable_listed,
        TransferViewed => admin.audit_actions.transfer_viewed,
        MergeCompared => admin.audit_actions.merge_compared,
        InboxViewed => admin.audit_actions.inbox_viewed,
        ReferralViewed => admin.audit_actions.referral_viewed,
        ReferralSlipViewed => admin.audit_actions.referral_slip_viewed,
        DocumentViewed => admin.audit_actions.document_viewed,
        CaseDocumentsViewed => admin.audit_actions.case_documents_viewed,
        DocumentAdded => admin.audit_actions.document_added,
        DocumentShared => admin.audit_actions.document_shared,
        DocumentUnshared => admin.audit_actions.document_unshared,
        DocumentDeleted => admin.audit_actions.document_deleted,
        ReferralCodeIssued => admin.audit_actions.referral_code_issued,
        ReferralCodeUsed => admin.audit_actions.referral_code_used,
        ReferralCodeFailed => admin.audit_actions.referral_code_failed,
        ReferralCodeLocked => admin.audit_actions.referral_code_locked,
        ReferralCodeRefusedLocked => admin.audit_actions.referral_code_refused_locked,
        ReferralCodeRefusedEnded => admin.audit_actions.referral_code_refused_ended,
        AccessRefused => admin.audit_actions.access_refused,
        CaseRegistered => admin.audit_actions.case_registered,
        DuplicateCheckConfirmed => admin.audit_actions.duplicate_check_confirmed,
        CaseEdited => admin.audit_actions.case_edited,
        CaseAssigned => admin.audit_actions.case_assigned,
        ConsentGiven => admin.audit_actions.consent_given,
        ConsentWithdrawn => admin.audit_actions.consent_withdrawn,
        CaseNoteAdded => admin.audit_actions.case_note_added,
        AssessmentRecorded => admin.audit_actions.assessment_recorded,
        PlanUpdated => admin.audit_actions.plan_updated,
        ReferralSent => admin.audit_actions.referral_sent,
        ReferralCancelled => admin.audit_actions.referral_cancelled,
        ReferralAccepted => admin.audit_actions.referral_accepted,
        ReferralDeclined => admin.audit_actions.referral_declined,
        ReferralCompleted => admin.audit_actions.referral_completed,
        ServiceRecorded => admin.audit_actions.service_recorded,
        FollowUpScheduled => events.follow_up_scheduled,
        FollowUpDone => events.follow_up_done,
        FollowUpMissed => events.follow_up_missed,
        FollowUpCancelled => events.follow_up_cancelled,
        ClosureRequested => events.closure_requested,
        ClosureReturned => events.closure_returned,
        CaseClosed => events.case_closed,
        CaseReopened => events.case_reopened,
        TransferProposed => events.transfer_proposed,
        TransferWithdrawn => events.transfer_withdrawn,
        TransferDeclined => events.transfer_declined,
        TransferAccepted => events.transfer_accepted,
        CasesMerged => events.cases_merged,
        MergeUndone => events.merge_undone,
        DuplicateDismissed => events.duplicate_dismissed,
        ExportIndicators => admin.audit_actions.export_indicators,
        FamilyExported => admin.audit_actions.family_exported,
        CaseAnonymised => events.anonymised,
        ErasureRequested => events.erasure_requested,
        ErasureReturned => events.erasure_returned,
        FamilyErased => events.erased,
        AuditPurged => admin.audit_actions.audit_purged,
    }
);

labels!(document_kind_label: DocumentKind {
    IdentityDocument => documents.kinds.identity_document,
    ConsentForm => documents.kinds.consent_form,
    ReturnPaper => documents.kinds.return_paper,
    Medical => documents.kinds.medical,
    Other => documents.kinds.other,
});

labels!(document_delete_reason_label: DeleteReason {
    WrongFamily => documents.delete_reasons.wrong_family,
    Duplicate => documents.delete_reasons.duplicate,
    Unreadable => documents.delete_reasons.unreadable,
    FamilyAsked => documents.delete_reasons.family_asked,
    NoLongerNeeded => documents.delete_reasons.no_longer_needed,
});
