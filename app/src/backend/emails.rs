//! The text of each email, in the recipient's language, from the catalogues. Emails carry the
//! case number and a link to the record, never a name or any other personal data: whoever
//! reads the mailbox learns nothing about the family.

use super::referral_code;
use super::store::outbox::{self, Email};
use super::store::referrals::Referral;
use crate::i18n::*;
use chrono::{DateTime, Utc};
use std::str::FromStr;

/// The language of a recipient: a user's own, else the usual one of the organisation's
/// country (Dari in Afghanistan, Arabic in Iraq), else English.
pub fn locale_for(language: Option<&str>, country: Option<shared::Country>) -> Locale {
    language
        .and_then(|l| Locale::from_str(l).ok())
        .unwrap_or(match country {
            Some(shared::Country::AF) => Locale::fa_AF,
            Some(shared::Country::IQ) => Locale::ar,
            None => Locale::en,
        })
}

/// What happened to a referral, for the email that tells someone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReferralNews {
    /// To the organisation: a new referral.
    New,
    /// To the organisation: still unanswered after its response time.
    Overdue,
    /// To the organisation: the caseworker cancelled it.
    Cancelled,
    /// To the caseworker: the organisation accepted it.
    Accepted,
    /// To the caseworker: the organisation declined it.
    Declined,
    /// To the caseworker: the organisation completed it.
    Completed,
}

impl ReferralNews {
    pub fn kind(self) -> &'static str {
        match self {
            ReferralNews::New => "referral_new",
            ReferralNews::Overdue => "referral_overdue",
            ReferralNews::Cancelled => "referral_cancelled",
            ReferralNews::Accepted => "referral_accepted",
            ReferralNews::Declined => "referral_declined",
            ReferralNews::Completed => "referral_completed",
        }
    }
}

/// Subject and body of a referral email.
pub fn referral(
    locale: Locale,
    news: ReferralNews,
    coded: bool,
    case_number: &str,
    link: &str,
) -> (String, String) {
    let cn = case_number;
    let subject = match news {
        ReferralNews::New => td_string!(locale, emails.referral_new_subject, case_number = cn),
        ReferralNews::Overdue => {
            td_string!(locale, emails.referral_overdue_subject, case_number = cn)
        }
        ReferralNews::Cancelled => {
            td_string!(locale, emails.referral_cancelled_subject, case_number = cn)
        }
        ReferralNews::Accepted => {
            td_string!(locale, emails.referral_accepted_subject, case_number = cn)
        }
        ReferralNews::Declined => {
            td_string!(locale, emails.referral_declined_subject, case_number = cn)
        }
        ReferralNews::Completed => {
            td_string!(locale, emails.referral_completed_subject, case_number = cn)
        }
    }
    .to_string();
    let text = match (news, coded) {
        (ReferralNews::New | ReferralNews::Overdue, true) => {
            td_string!(locale, emails.referral_coded_body)
        }
        (ReferralNews::New, _) => td_string!(locale, emails.referral_new_body),
        (ReferralNews::Overdue, _) => td_string!(locale, emails.referral_overdue_body),
        (ReferralNews::Cancelled, _) => td_string!(locale, emails.referral_cancelled_body),
        (ReferralNews::Accepted, _) => td_string!(locale, emails.referral_accepted_body),
        (ReferralNews::Declined, _) => td_string!(locale, emails.referral_declined_body),
        (ReferralNews::Completed, _) => td_string!(locale, emails.referral_completed_body),
    };
    let footer = td_string!(locale, emails.footer);
    let body = format!("{subject}\n\n{text}\n\n{link}\n\n--\n{footer}\n");
    (subject, body)
}

/// Queues the email that tells someone what happened to a referral: news for the
/// organisation goes to its referral address in its country's language, news for the
/// caseworker to them in their own language.
pub async fn queue_referral(
    conn: &mut sqlx::AnyConnection,
    public_url: &str,
    news: ReferralNews,
    r: &Referral,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let base = public_url.trim_end_matches('/');
    // An organisation without accounts opens the referral at `/r` with the family's code.
    let coded = r.reference.as_deref().filter(|_| r.without_accounts);
    let (to, locale, link) = match news {
        ReferralNews::New | ReferralNews::Overdue | ReferralNews::Cancelled => (
            r.organisation_email.clone(),
            locale_for(None, r.organisation_country),
            match coded {
                Some(reference) => referral_code::open_url(public_url, reference),
                None => format!("{base}/referrals/{}", r.referral_id),
            },
        ),
        _ => (
            Some(r.caseworker_email.clone()),
            locale_for(Some(&r.caseworker_language), None),
            format!("{base}/cases/{}#referrals", r.family_id),
        ),
    };
    let Some(to) = to else { return Ok(()) };
    let (subject, body) = referral(locale, news, coded.is_some(), &r.case_number, &link);
    let email = Email {
        kind: news.kind(),
        to: &to,
        subject: &subject,
        body: &body,
    };
    outbox::enqueue(conn, &email, now).await
}

/// What happened to a transfer, for the email that tells someone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransferNews {
    /// To the ministry's supervisors: a case waits for one of them to answer.
    Proposed,
    /// To whoever proposed it: accepted.
    Accepted,
    /// To whoever proposed it: declined (the reason is on the case page).
    Declined,
    /// To the caseworker the receiving supervisor gave the case to.
    Received,
}

impl TransferNews {
    pub fn kind(self) -> &'static str {
        match self {
            TransferNews::Proposed => "transfer_proposed",
            TransferNews::Accepted => "transfer_accepted",
            TransferNews::Declined => "transfer_declined",
            TransferNews::Received => "transfer_received",
        }
    }
}

/// Queues the email that tells a member of staff (`to`, who reads `language`) what happened
/// to the transfer of case `case_number`, linking to the case.
pub async fn queue_transfer(
    conn: &mut sqlx::AnyConnection,
    public_url: &str,
    news: TransferNews,
    (to, language): (&str, &str),
    (family_id, case_number): (&str, &str),
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let locale = locale_for(Some(language), None);
    let cn = case_number;
    let (subject, text) = match news {
        TransferNews::Proposed => (
            td_string!(locale, emails.transfer_proposed_subject, case_number = cn).to_string(),
            td_string!(locale, emails.transfer_proposed_body),
        ),
        TransferNews::Accepted => (
            td_string!(locale, emails.transfer_accepted_subject, case_number = cn).to_string(),
            td_string!(locale, emails.transfer_accepted_body),
        ),
        TransferNews::Declined => (
            td_string!(locale, emails.transfer_declined_subject, case_number = cn).to_string(),
            td_string!(locale, emails.transfer_declined_body),
        ),
        TransferNews::Received => (
            td_string!(locale, emails.transfer_received_subject, case_number = cn).to_string(),
            td_string!(locale, emails.transfer_received_body),
        ),
    };
    let link = format!(
        "{}/cases/{family_id}#transfer",
        public_url.trim_end_matches('/')
    );
    let footer = td_string!(locale, emails.footer);
    let body = format!("{subject}\n\n{text}\n\n{link}\n\n--\n{footer}\n");
    let email = Email {
        kind: news.kind(),
        to,
        subject: &subject,
        body: &body,
    };
    outbox::enqueue(conn, &email, now).await
}

/// Queues the notice to an account holder that an administrator set their password: if they
/// did not ask for it, they know at once and can tell someone.
pub async fn queue_password_reset(
    conn: &mut sqlx::AnyConnection,
    public_url: &str,
    to: &str,
    language: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let locale = locale_for(Some(language), None);
    let subject = td_string!(locale, emails.password_reset_subject).to_string();
    let body = format!(
        "{subject}\n\n{}\n\n{}/account\n\n--\n{}\n",
        td_string!(locale, emails.password_reset_body),
        public_url.trim_end_matches('/'),
        td_string!(locale, emails.footer)
    );
    let email = Email {
        kind: "password_reset",
        to,
        subject: &subject,
        body: &body,
    };
    outbox::enqueue(conn, &email, now).await
}

/// Queues one reminder for each referral past its answer date (once per referral, however
/// often this runs). Answers how many were queued.
pub async fn queue_overdue_reminders(
    db: &super::db::Db,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<usize, sqlx::Error> {
    let mut tx = db.begin().await?;
    let due = super::store::referrals::overdue_unreminded(&mut tx, now).await?;
    let mut queued = 0;
    for r in &due {
        if super::store::referrals::mark_reminded(&mut tx, &r.referral_id, now).await? {
            queue_referral(&mut tx, public_url, ReferralNews::Overdue, r, now).await?;
            queued += 1;
        }
    }
    tx.commit().await?;
    Ok(queued)
}

/// The morning digest of one caseworker: the follow-ups due today or overdue, by case number
/// (no names), with a link to the work list.
pub fn digest(
    locale: Locale,
    day: chrono::NaiveDate,
    due: &[(String, String)],
    link: &str,
) -> (String, String) {
    let date = day.to_string();
    let subject = td_string!(locale, emails.digest_subject, date = date.clone()).to_string();
    let mut body = format!("{}\n\n", td_string!(locale, emails.digest_intro));
    for (case_number, due_on) in due {
        let when = if *due_on == date {
            td_string!(locale, emails.digest_due_today).to_string()
        } else {
            td_string!(locale, emails.digest_overdue, date = due_on).to_string()
        };
        body.push_str(&format!("- {case_number}: {when}\n"));
    }
    body.push_str(&format!(
        "\n{link}\n\n--\n{}\n",
        td_string!(locale, emails.footer)
    ));
    (subject, body)
}

/// Queues the morning digest of every caseworker whose local morning has come and who has
/// follow-ups due or overdue: at most one a day each, whatever restarts happen (the day is
/// claimed in `digest_sent` in the same transaction). Answers how many were queued.
pub async fn queue_digests(
    db: &super::db::Db,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<usize, sqlx::Error> {
    use super::store::follow_ups;
    let mut conn = db.pool.acquire().await?;
    let people = follow_ups::caseworkers(&mut conn).await?;
    drop(conn);
    let link = format!("{}/work", public_url.trim_end_matches('/'));
    let mut queued = 0;
    for follow_ups::DigestRecipient {
        user_id,
        email,
        language,
        country,
    } in people
    {
        let Some(day) = shared::follow_up::digest_day(now, country) else {
            continue;
        };
        let mut tx = db.begin().await?;
        let due = follow_ups::due_for(&mut tx, &user_id, day).await?;
        if due.is_empty() || !follow_ups::claim_digest(&mut tx, &user_id, day).await? {
            continue;
        }
        let (subject, body) = digest(locale_for(Some(&language), Some(country)), day, &due, &link);
        let mail = Email {
            kind: "follow_up_digest",
            to: &email,
            subject: &subject,
            body: &body,
        };
        outbox::enqueue(&mut tx, &mail, now).await?;
        tx.commit().await?;
        queued += 1;
    }
    Ok(queued)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_in_the_recipients_language_and_carry_only_the_case_number_and_link() {
        for locale in Locale::get_all() {
            for coded in [false, true] {
                let (subject, body) = referral(
                    *locale,
                    ReferralNews::New,
                    coded,
                    "AF-2026-000123",
                    "https://h.example/referrals/x",
                );
                assert!(subject.contains("AF-2026-000123"), "{locale:?}");
                assert!(body.contains("https://h.example/referrals/x"));
            }
        }
        assert_eq!(locale_for(Some("ps"), None), Locale::ps);
        assert_eq!(locale_for(None, Some(shared::Country::IQ)), Locale::ar);
        assert_eq!(locale_for(Some("xx"), None), Locale::en);
    }
}
