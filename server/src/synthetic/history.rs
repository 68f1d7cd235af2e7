//! Generated histories: what happened to a family after registration, by its status.

use super::{pick, Actors};
use app::backend::store::bulk::History;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::rngs::StdRng;
use rand::Rng;
use shared::service::ServiceCategory;

/// The history of a family of `status`, registered at `created`, as of `now`.
pub fn history(
    rng: &mut StdRng,
    status: &str,
    created: DateTime<Utc>,
    return_date: NaiveDate,
    now: DateTime<Utc>,
    actors: &Actors,
) -> History {
    let mut h = History::default();
    let today = now.date_naive();
    if status == "registered" {
        return h;
    }
    // Scores start low and improve with time since return, with noise.
    let score = |rng: &mut StdRng, months: f64| {
        (0.35 + months * 0.015 + rng.gen_range(-0.15..0.15)).clamp(0.0, 1.0)
    };
    let first = (created + Duration::days(rng.gen_range(0..45)))
        .date_naive()
        .min(today);
    let mut on = first;
    for _ in 0..rng.gen_range(1..=3) {
        if on > today {
            break;
        }
        let months = (on - return_date).num_days() as f64 / 30.4;
        h.assessments.push((
            on,
            score(rng, months),
            score(rng, months),
            score(rng, months),
        ));
        on += Duration::days(rng.gen_range(90..200));
    }
    for months in [1, 3, 6, 12] {
        let due = return_date + Duration::days(months * 30) + Duration::days(rng.gen_range(0..5));
        let (status, done_on) = if due >= today || status == "closed" && rng.gen_bool(0.3) {
            if due >= today {
                ("scheduled", None)
            } else {
                ("cancelled", None)
            }
        } else {
            match rng.gen_range(0..10) {
                0..=5 => ("done", Some(due - Duration::days(rng.gen_range(0..3)))),
                6 | 7 => (
                    "done",
                    Some((due + Duration::days(rng.gen_range(1..20))).min(today)),
                ),
                8 => ("missed", None),
                _ => ("scheduled", None),
            }
        };
        if let Some(d) = done_on {
            h.last_contact = h.last_contact.max(Some(d));
        }
        h.follow_ups.push((due, status, done_on));
    }
    if status == "in_progress" || status == "closed" {
        for _ in 0..rng.gen_range(1..=2) {
            let sent = first.and_hms_opt(10, 0, 0).unwrap().and_utc()
                + Duration::days(rng.gen_range(1..20));
            if sent > now {
                break;
            }
            let org = actors.partners[rng.gen_range(0..actors.partners.len())].clone();
            let service = pick(rng, ServiceCategory::ALL).as_str();
            let answered = (sent + Duration::hours(rng.gen_range(2..(10 * 24)))).min(now);
            let (status, answered) = match rng.gen_range(0..20) {
                0..=7 => ("completed", Some(answered)),
                8..=13 => ("accepted", Some(answered)),
                14..=16 => ("declined", Some(answered)),
                _ => ("sent", None),
            };
            h.referrals.push((org, service, status, sent, answered));
        }
    }
    if status == "closed" {
        let decided = (created + Duration::days(rng.gen_range(150..400))).min(now);
        let reason = pick(
            rng,
            &[
                "reintegrated",
                "reintegrated",
                "reintegrated",
                "re_migrated",
                "moved_away",
                "lost_contact",
                "declined_services",
            ],
        );
        h.closure = Some((reason, decided));
    }
    h
}
