//! Demo data for the quick start: partner organisations and one account per role and country.
//! Loading it twice changes nothing.

use crate::provision::{self, ProvisionError};
use crate::synthetic;
use app::backend::db::Db;
use app::backend::store::directory::{self, Directory};
use app::backend::store::{families, organisations, sessions, users};
use chrono::{DateTime, Utc};
use shared::family::{status::Step, CaseStatus};
use shared::organisation::Contact;
use shared::service::ServiceCategory;

/// The password of every demo account (printed at start-up; never use demo data for real work).
pub const DEMO_PASSWORD: &str = "homeward-demo-2026";

pub struct DemoAccount {
    pub email: &'static str,
    pub name: &'static str,
    pub role: &'static str,
    pub org: &'static str,
    pub areas: &'static [&'static str],
    pub language: &'static str,
}

pub const PARTNERS: [(&str, &str, &str); 7] = [
    ("aln-af", "Afghan Livelihoods Network", "AF"),
    ("jwc-af", "Jalalabad Women's Cooperative", "AF"),
    ("hrc-af", "Herat Returnee Care", "AF"),
    ("kfl-af", "Kabul Family Legal Aid", "AF"),
    ("ira-iq", "Iraqi Reintegration Aid", "IQ"),
    ("ncs-iq", "Nineveh Community Support", "IQ"),
    ("bhh-iq", "Baghdad Health and Housing", "IQ"),
];

/// The service directory of the demo partners: what each offers, where (the demo
/// caseworkers' provinces), and in how many days it answers. Referral emails go to addresses
/// under `demo.homeward.org` (written as .eml files in the quick start).
type Offer = (
    &'static str,
    &'static [ServiceCategory],
    &'static [&'static str],
    i64,
);
const DIRECTORY: [Offer; 7] = {
    use ServiceCategory::*;
    [
        (
            "jwc-af",
            &[Livelihood, VocationalTraining],
            &["AF-NAN", "AF-KAB"],
            5,
        ),
        (
            "aln-af",
            &[Livelihood, VocationalTraining, CashAssistance],
            &["AF-KAB", "AF-HER", "AF-NAN"],
            5,
        ),
        (
            "hrc-af",
            &[Housing, Health, Psychosocial, CashAssistance],
            &["AF-HER", "AF-KAB"],
            3,
        ),
        (
            "kfl-af",
            &[LegalDocumentation, FamilyTracing, Education],
            &["AF-KAB", "AF-NAN"],
            7,
        ),
        (
            "ira-iq",
            &[Livelihood, VocationalTraining, CashAssistance, Education],
            &["IQ-BG", "IQ-NI", "IQ-AR"],
            5,
        ),
        (
            "ncs-iq",
            &[Psychosocial, LegalDocumentation, FamilyTracing],
            &["IQ-NI", "IQ-AR"],
            5,
        ),
        (
            "bhh-iq",
            &[Housing, Health, Psychosocial],
            &["IQ-BG", "IQ-NI"],
            4,
        ),
    ]
};

pub const ACCOUNTS: [DemoAccount; 9] = [
    DemoAccount {
        email: "caseworker.af@demo.homeward.org",
        name: "Fatima Ahmadi",
        role: "caseworker",
        org: "morr",
        areas: &["AF-KAB", "AF-HER", "AF-NAN"],
        language: "en",
    },
    // The north's caseworker, who receives families moving from Fatima Ahmadi's provinces.
    DemoAccount {
        email: "caseworker.north.af@demo.homeward.org",
        name: "Hamid Sultani",
        role: "caseworker",
        org: "morr",
        areas: &["AF-BAL", "AF-KDZ"],
        language: "en",
    },
    DemoAccount {
        email: "supervisor.af@demo.homeward.org",
        name: "Mohammad Karimi",
        role: "supervisor",
        org: "morr",
        areas: &[],
        language: "en",
    },
    DemoAccount {
        email: "caseworker.iq@demo.homeward.org",
        name: "Zainab Hassan",
        role: "caseworker",
        org: "momd",
        areas: &["IQ-BG", "IQ-NI", "IQ-AR"],
        language: "en",
    },
    DemoAccount {
        email: "supervisor.iq@demo.homeward.org",
        name: "Ali Al-Jubouri",
        role: "supervisor",
        org: "momd",
        areas: &[],
        language: "en",
    },
    DemoAccount {
        email: "partner.af@demo.homeward.org",
        name: "Sahar Noori",
        role: "partner",
        org: "aln-af",
        areas: &[],
        language: "en",
    },
    DemoAccount {
        email: "partner.iq@demo.homeward.org",
        name: "Omar Saleh",
        role: "partner",
        org: "ira-iq",
        areas: &[],
        language: "en",
    },
    DemoAccount {
        email: "manager@demo.homeward.org",
        name: "Anna Lindqvist",
        role: "programme_manager",
        org: "programme",
        areas: &[],
        language: "en",
    },
    DemoAccount {
        email: "admin@demo.homeward.org",
        name: "System Administrator",
        role: "admin",
        org: "programme",
        areas: &[],
        language: "en",
    },
];

/// The demo partner without accounts (it answers at `/r` with the code on the family's
/// slip) and whom to see there: code, person, phone, address.
const WITHOUT_ACCOUNTS: [(&str, &str, &str, &str); 1] = [(
    "jwc-af",
    "Zarghuna Safi",
    "+93 70 555 0142",
    "Street 3, near the Blue Mosque, Jalalabad",
)];

/// Loads what is missing of the demo data.
pub async fn load(db: &Db, now: DateTime<Utc>) -> Result<(), ProvisionError> {
    let mut conn = db.pool.acquire().await?;
    for (code, name, country) in PARTNERS {
        if organisations::by_code(&mut conn, code).await?.is_none() {
            provision::create_organisation(db, now, code, name, "partner", country).await?;
        }
    }
    for (code, services, provinces, days) in DIRECTORY {
        let org = organisations::by_code(&mut conn, code)
            .await?
            .ok_or(ProvisionError::Internal)?;
        let current = directory::get(&mut conn, &org.organisation_id).await?;
        if current.services.is_empty() {
            let contact =
                WITHOUT_ACCOUNTS
                    .iter()
                    .find(|w| w.0 == code)
                    .map(|(_, person, phone, address)| Contact {
                        person: person.to_string(),
                        phone: phone.to_string(),
                        address: address.to_string(),
                    });
            let entry = Directory {
                referral_email: contact
                    .is_none()
                    .then(|| format!("referrals@{code}.demo.homeward.org")),
                without_accounts: contact,
                response_days: days,
                services: services.to_vec(),
                provinces: provinces.iter().map(|p| p.to_string()).collect(),
                version: current.version,
            };
            let mut tx = db.begin().await?;
            directory::set(&mut tx, &org.organisation_id, &entry, current.version, now).await?;
            tx.commit().await?;
        }
    }
    for a in &ACCOUNTS {
        if users::id_by_email(&mut conn, a.email).await?.is_none() {
            let areas: Vec<String> = a.areas.iter().map(|s| s.to_string()).collect();
            provision::create_user(
                db,
                now,
                a.email,
                a.name,
                a.role,
                a.org,
                &areas,
                DEMO_PASSWORD.to_string(),
                a.language,
            )
            .await?;
        }
    }
    Ok(())
}

/// Demo families: twenty per country in the demo caseworkers' provinces, assigned to them,
/// loaded once (when there are no families yet).
pub async fn load_families(db: &Db, now: DateTime<Utc>) -> Result<(), ProvisionError> {
    let mut conn = db.pool.acquire().await?;
    if families::count(&mut conn).await? > 0 {
        return Ok(());
    }
    for (seed, email) in [
        (1, "caseworker.af@demo.homeward.org"),
        (2, "caseworker.iq@demo.homeward.org"),
    ] {
        let user = users::id_by_email(&mut conn, email)
            .await?
            .ok_or(ProvisionError::Internal)?;
        let areas = sessions::areas(&mut conn, &user).await?;
        let plan = synthetic::Plan {
            families: 20,
            seed,
            areas: Some(areas.into_iter().map(|a| (a, Some(user.clone()))).collect()),
            created_by: Some(user.clone()),
            statuses: &["registered"],
        };
        synthetic::generate(db, &plan, now).await?;
        follow_up_history(db, &user, now).await?;
    }
    Ok(())
}

/// Provinces whose demo families come already assessed, with follow-ups (one of them
/// overdue), so the work lists have something on them. The other provinces' families are
/// left registered, for trying the first assessment.
const FOLLOWED_UP: [&str; 2] = ["AF-NAN", "IQ-AR"];

/// Gives the caseworker's families in [`FOLLOWED_UP`] provinces an assessment a month ago,
/// its plan, a follow-up done, one overdue by three days and the next one in a month.
async fn follow_up_history(db: &Db, user: &str, now: DateTime<Utc>) -> Result<(), ProvisionError> {
    use app::backend::store::{assessments, follow_ups};
    use shared::assessment::{self, Answers};
    use shared::follow_up::{FollowUpKind, FollowUpStatus};
    let mut conn = db.pool.acquire().await?;
    let families = families::assigned_in(&mut conn, user, &FOLLOWED_UP).await?;
    drop(conn);
    let instrument = assessment::current();
    let today = now.date_naive();
    for (i, family_id) in families.iter().enumerate() {
        // Answers that vary from family to family: the i-th option of each question, cycling.
        let answers: Answers = instrument
            .indicators
            .iter()
            .enumerate()
            .map(|(k, ind)| {
                (
                    ind.code.clone(),
                    ind.options[(i + k) % ind.options.len()].code.clone(),
                )
            })
            .collect();
        let outcome = assessment::score(instrument, &answers);
        let assessed_on = today - chrono::Duration::days(30);
        let mut tx = db.begin().await?;
        let new = assessments::NewAssessment {
            family_id,
            member_id: None,
            instrument_version: instrument.version,
            assessed_on,
            scores: outcome.scores,
            answers: &answers,
        };
        let id = assessments::insert(&mut tx, &new, user, now).await?;
        assessments::propose_plan(&mut tx, family_id, &id, &outcome.needs, assessed_on, now)
            .await?;
        let (registered, assessed) = (CaseStatus::Registered, Step::Assessed);
        families::advance(&mut tx, family_id, registered, assessed, now).await?;
        let visits = [
            (-16, FollowUpKind::HomeVisit, Some(FollowUpStatus::Done)),
            (-3, FollowUpKind::PhoneCall, None),
            (30, FollowUpKind::HomeVisit, None),
        ];
        for (days, kind, status) in visits {
            let due = today + chrono::Duration::days(days);
            let fu = follow_ups::insert(&mut tx, family_id, kind, due, Some(user), now).await?;
            if let Some(status) = status {
                let outcome = follow_ups::Outcome {
                    status,
                    notes: Some("Family at home; children enrolled in school."),
                    missed_reason: None,
                    done_on: Some(due),
                    assessment_id: None,
                };
                follow_ups::record(&mut tx, &fu, 1, &outcome, now).await?;
                follow_ups::touch_contact(&mut tx, family_id, due).await?;
            }
        }
        tx.commit().await?;
    }
    Ok(())
}

/// The table of demo accounts printed at start-up.
pub fn accounts_table() -> String {
    let mut out = String::from("Demo accounts (password for all: ");
    out.push_str(DEMO_PASSWORD);
    out.push_str(")\n");
    for a in &ACCOUNTS {
        out.push_str(&format!("  {:<18} {:<8} {}\n", a.role, a.org, a.email));
    }
    out
}
