//! User accounts: email addresses, passwords, names, and which role fits which organisation.

use crate::field_error::{text, FieldError, FieldErrors};
use crate::location;
use crate::organisation::OrgKind;
use crate::{Country, Role};

/// Passwords shorter than this are refused (SPEC: at least 12 characters).
pub const MIN_PASSWORD_CHARS: u32 = 12;
/// Longer input is refused before hashing, so nobody can make the server hash megabytes.
pub const MAX_PASSWORD_CHARS: u32 = 256;

/// A normalised (trimmed, lowercased) email address with a plausible shape. Deliverability is
/// not checked here: that is what the email outbox reports.
pub fn parse_email(s: &str) -> Result<String, FieldError> {
    let e = s.trim().to_lowercase();
    if e.is_empty() {
        return Err(FieldError::Required);
    }
    if e.chars().count() > 254 {
        return Err(FieldError::TooLong { max: 254 });
    }
    let Some((local, domain)) = e.split_once('@') else {
        return Err(FieldError::InvalidEmail);
    };
    let bad = local.is_empty()
        || domain.len() < 3
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
        || domain.contains('@')
        || e.chars().any(|c| c.is_whitespace() || c.is_control());
    if bad {
        Err(FieldError::InvalidEmail)
    } else {
        Ok(e)
    }
}

/// Checks a new password's length, counted in characters.
pub fn check_password(p: &str) -> Result<(), FieldError> {
    let n = p.chars().count() as u32;
    if n == 0 {
        Err(FieldError::Required)
    } else if n < MIN_PASSWORD_CHARS {
        Err(FieldError::TooShort {
            min: MIN_PASSWORD_CHARS,
        })
    } else if n > MAX_PASSWORD_CHARS {
        Err(FieldError::TooLong {
            max: MAX_PASSWORD_CHARS,
        })
    } else {
        Ok(())
    }
}

/// A person's display name.
pub fn parse_display_name(s: &str) -> Result<String, FieldError> {
    text(s, 2, 100)
}

/// Which kind of organisation a role belongs to. Administrators may belong to any.
pub fn role_fits(role: Role, kind: OrgKind) -> bool {
    match role {
        Role::Caseworker | Role::Supervisor => kind == OrgKind::Ministry,
        Role::Partner => kind == OrgKind::Partner,
        Role::ProgrammeManager => kind == OrgKind::Programme,
        Role::Admin => true,
    }
}

/// Checks a caseworker's areas: known location keys, all in the ministry's country, at least
/// one. Other roles have no areas (a supervisor sees the whole country already).
pub fn validate_areas(
    role: Role,
    org_country: Option<Country>,
    areas: &[String],
) -> Result<Vec<String>, FieldError> {
    if role != Role::Caseworker {
        return if areas.is_empty() {
            Ok(Vec::new())
        } else {
            Err(FieldError::InvalidChoice)
        };
    }
    if areas.is_empty() {
        return Err(FieldError::Required);
    }
    let mut keys = Vec::new();
    for a in areas {
        let loc = location::by_key(a.trim()).ok_or(FieldError::InvalidChoice)?;
        if Some(loc.country) != org_country {
            return Err(FieldError::OutsideCountry);
        }
        if !keys.contains(&loc.key) {
            keys.push(loc.key.clone());
        }
    }
    Ok(keys)
}

/// A validated new account (the password is checked but kept by the caller, who hashes it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewUser {
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub areas: Vec<String>,
}

/// Validates a new account for an organisation of `org_kind` in `org_country`.
pub fn validate_new_user(
    email: &str,
    display_name: &str,
    role: &str,
    areas: &[String],
    password: &str,
    org: Option<(OrgKind, Option<Country>)>,
) -> Result<NewUser, FieldErrors> {
    let mut e = FieldErrors::new();
    let email = e.take("email", parse_email(email));
    let display_name = e.take("display_name", parse_display_name(display_name));
    let role = e.take("role", Role::parse(role).ok_or(FieldError::InvalidChoice));
    e.take("password", check_password(password));
    if org.is_none() {
        e.add("organisation", FieldError::InvalidChoice);
    }
    let mut keys = Vec::new();
    if let (Some(role), Some((kind, country))) = (role, org) {
        if !role_fits(role, kind) {
            e.add("role", FieldError::RoleDoesNotFitOrganisation);
        } else if let Some(k) = e.take("areas", validate_areas(role, country, areas)) {
            keys = k;
        }
    }
    e.finish(|| NewUser {
        email: email.unwrap(),
        display_name: display_name.unwrap(),
        role: role.unwrap(),
        areas: keys,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            parse_email("  Fatima@MoRR.gov.AF "),
            Ok("fatima@morr.gov.af".into())
        );
        for bad in ["fatima", "@x.af", "a@b", "a@.af", "a b@x.af", "a@x.af."] {
            assert_eq!(parse_email(bad), Err(FieldError::InvalidEmail), "{bad}");
        }
        assert_eq!(parse_email(""), Err(FieldError::Required));
    }

    #[test]
    fn passwords_need_twelve_characters() {
        assert_eq!(
            check_password("short"),
            Err(FieldError::TooShort { min: 12 })
        );
        assert_eq!(check_password("twelve chars"), Ok(()));
        // Twelve Dari letters are twelve characters even though they are 24 bytes.
        assert_eq!(check_password("رمزعبورطولان"), Ok(()));
        assert!(check_password(&"x".repeat(257)).is_err());
    }

    #[test]
    fn roles_fit_their_organisations() {
        assert!(role_fits(Role::Caseworker, OrgKind::Ministry));
        assert!(!role_fits(Role::Caseworker, OrgKind::Partner));
        assert!(!role_fits(Role::Partner, OrgKind::Ministry));
        assert!(role_fits(Role::ProgrammeManager, OrgKind::Programme));
        assert!(role_fits(Role::Admin, OrgKind::Partner));
    }

    #[test]
    fn caseworker_areas_must_be_in_the_ministry_country() {
        let af = Some(Country::AF);
        assert_eq!(
            validate_areas(Role::Caseworker, af, &["AF-KAB".into(), "AF-KAB".into()]),
            Ok(vec!["AF-KAB".to_string()])
        );
        assert_eq!(
            validate_areas(Role::Caseworker, af, &["IQ-BG".into()]),
            Err(FieldError::OutsideCountry)
        );
        assert_eq!(
            validate_areas(Role::Caseworker, af, &[]),
            Err(FieldError::Required)
        );
        assert_eq!(
            validate_areas(Role::Caseworker, af, &["XX-1".into()]),
            Err(FieldError::InvalidChoice)
        );
        assert_eq!(validate_areas(Role::Supervisor, af, &[]), Ok(vec![]));
    }

    #[test]
    fn a_new_user_collects_every_field_error_at_once() {
        let e = validate_new_user("x", "", "wizard", &[], "short", None).unwrap_err();
        for f in ["email", "display_name", "role", "password", "organisation"] {
            assert!(e.get(f).is_some(), "{f}");
        }
        let ok = validate_new_user(
            "cw@morr.af",
            "Ahmad Karimi",
            "caseworker",
            &["AF-HER".into()],
            "a long enough password",
            Some((OrgKind::Ministry, Some(Country::AF))),
        )
        .unwrap();
        assert_eq!(ok.areas, vec!["AF-HER"]);
    }
}
