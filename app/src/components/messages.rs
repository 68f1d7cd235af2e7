//! Domain values and errors in the user's language. Every visible string comes from the
//! catalogues in `locales/`.

use crate::error::AppError;
use crate::i18n::*;
use leptos_i18n::I18nContext;
use shared::organisation::OrgKind;
use shared::{Country, FieldError, Role};

pub type I18n = I18nContext<Locale>;

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

pub fn country_label(i18n: I18n, country: Option<Country>) -> &'static str {
    match country {
        Some(Country::AF) => tu_string!(i18n, countries.AF),
        Some(Country::IQ) => tu_string!(i18n, countries.IQ),
        None => tu_string!(i18n, countries.none),
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
        FieldError::RoleDoesNotFitOrganisation => {
            tu_string!(i18n, field_errors.role_does_not_fit_organisation).to_string()
        }
        FieldError::OwnAccount => tu_string!(i18n, field_errors.own_account).to_string(),
        FieldError::WrongPassword => tu_string!(i18n, field_errors.wrong_password).to_string(),
        FieldError::DoesNotMatch => tu_string!(i18n, field_errors.does_not_match).to_string(),
    }
}

pub fn app_error_text(i18n: I18n, e: &AppError) -> &'static str {
    match e {
        AppError::Unauthenticated => tu_string!(i18n, errors.unauthenticated),
        AppError::NotFound => tu_string!(i18n, errors.not_found),
        AppError::Forbidden => tu_string!(i18n, errors.forbidden),
        AppError::Invalid(_) => tu_string!(i18n, errors.invalid),
        AppError::Conflict => tu_string!(i18n, errors.conflict),
        AppError::BadCredentials => tu_string!(i18n, errors.bad_credentials),
        AppError::LockedOut => tu_string!(i18n, errors.locked_out),
        AppError::BadRequest => tu_string!(i18n, errors.bad_request),
        AppError::Internal => tu_string!(i18n, errors.internal),
        AppError::Network => tu_string!(i18n, errors.network),
    }
}

/// The name of a province/governorate as the user reads it: in the local script for Dari,
/// Pashto and Arabic readers, in English otherwise.
pub fn location_name(i18n: I18n, key: &str) -> String {
    match shared::location::by_key(key) {
        Some(l) if i18n.get_locale_untracked() != Locale::en => l.name_local.clone(),
        Some(l) => l.name_en.clone(),
        None => key.to_string(),
    }
}
