//! What operators see of one instance, in Prometheus's text format (`/metrics`): requests and
//! their latency per route, sign-in failures and refusals, the last overview refresh. Counted
//! here as they happen; the outbox and the database pool are read when scraped
//! (`server::metrics`). Counters are per instance, as Prometheus expects: it adds the
//! instances up itself.
//!
//! Labels are only route templates, methods, status codes and fixed names, never anything a
//! request carries, so an attacker cannot grow the set of series (nor put personal data in
//! them).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// How a sign-in attempt ended, for counting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SignInOutcome {
    /// Wrong email or password.
    Failed,
    /// Refused because the account or the address is locked out.
    Locked,
    /// Refused because too many password checks were running.
    Busy,
}

impl SignInOutcome {
    fn label(self) -> &'static str {
        match self {
            SignInOutcome::Failed => "failed",
            SignInOutcome::Locked => "locked",
            SignInOutcome::Busy => "busy",
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct Metrics(Arc<Mutex<Counts>>);

#[derive(Debug, Default)]
struct Counts {
    /// (route, method, status) → requests.
    requests: BTreeMap<(String, String, u16), u64>,
    /// route → latency histogram.
    latency: BTreeMap<String, Histogram>,
    sign_ins: BTreeMap<SignInOutcome, u64>,
    overview_refreshes: u64,
    overview_refresh_failures: u64,
    overview_last_refresh_seconds: Option<f64>,
}

#[derive(Debug, Default)]
struct Histogram {
    /// Observations at or under each bound of [`BUCKETS`] (not cumulative; summed on output).
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Histogram {
    fn observe(&mut self, seconds: f64) {
        if let Some(i) = BUCKETS.iter().position(|b| seconds <= *b) {
            self.buckets[i] += 1;
        }
        self.count += 1;
        self.sum += seconds;
    }
}

impl Metrics {
    fn counts(&self) -> std::sync::MutexGuard<'_, Counts> {
        // A panic while holding the lock leaves counts that are still counts.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn request(&self, route: &str, method: &str, status: u16, took: Duration) {
        let mut c = self.counts();
        *c.requests
            .entry((route.to_string(), method.to_string(), status))
            .or_default() += 1;
        c.latency
            .entry(route.to_string())
            .or_default()
            .observe(took.as_secs_f64());
    }

    pub fn sign_in(&self, outcome: SignInOutcome) {
        *self.counts().sign_ins.entry(outcome).or_default() += 1;
    }

    pub fn overview_refreshed(&self, took: Option<Duration>) {
        let mut c = self.counts();
        match took {
            Some(t) => {
                c.overview_refreshes += 1;
                c.overview_last_refresh_seconds = Some(t.as_secs_f64());
            }
            None => c.overview_refresh_failures += 1,
        }
    }

    /// The counters in Prometheus's text format (version 0.0.4).
    pub fn render(&self, out: &mut String) {
        let c = self.counts();
        family(
            out,
            "homeward_http_requests_total",
            "counter",
            "HTTP requests answered, by route template, method and status (5xx are errors).",
        );
        for ((route, method, status), n) in &c.requests {
            let _ = writeln!(
                out,
                "homeward_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{status}\"}} {n}",
                escape(route),
                escape(method)
            );
        }
        family(
            out,
            "homeward_http_request_duration_seconds",
            "histogram",
            "Time from a request's arrival to its answer's headers, by route template.",
        );
        for (route, h) in &c.latency {
            let route = escape(route);
            let mut cumulative = 0;
            for (bound, n) in BUCKETS.iter().zip(h.buckets) {
                cumulative += n;
                let _ = writeln!(
                    out,
                    "homeward_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {cumulative}"
                );
            }
            let _ = writeln!(
                out,
                "homeward_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}\n\
                 homeward_http_request_duration_seconds_sum{{route=\"{route}\"}} {}\n\
                 homeward_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                h.count, h.sum, h.count
            );
        }
        family(
            out,
            "homeward_sign_in_refusals_total",
            "counter",
            "Sign-ins refused: failed (wrong email or password), locked (throttled), busy.",
        );
        for outcome in [
            SignInOutcome::Failed,
            SignInOutcome::Locked,
            SignInOutcome::Busy,
        ] {
            let n = c.sign_ins.get(&outcome).copied().unwrap_or(0);
            let _ = writeln!(
                out,
                "homeward_sign_in_refusals_total{{outcome=\"{}\"}} {n}",
                outcome.label()
            );
        }
        unlabelled(
            out,
            "homeward_overview_refreshes_total",
            "counter",
            "Times the programme indicators were recomputed.",
            c.overview_refreshes as f64,
        );
        unlabelled(
            out,
            "homeward_overview_refresh_failures_total",
            "counter",
            "Recomputations of the programme indicators that failed.",
            c.overview_refresh_failures as f64,
        );
        if let Some(s) = c.overview_last_refresh_seconds {
            unlabelled(
                out,
                "homeward_overview_refresh_seconds",
                "gauge",
                "How long the last recomputation of the programme indicators took.",
                s,
            );
        }
    }
}

/// The `# HELP` and `# TYPE` lines of a metric.
pub fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

/// A metric (counter or gauge, `kind`) with one value and no labels.
pub fn unlabelled(out: &mut String, name: &str, kind: &str, help: &str, value: f64) {
    family(out, name, kind, help);
    let _ = writeln!(out, "{name} {value}");
}

/// A label value as the text format wants it.
fn escape(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_histogram_counts_cumulatively_and_labels_are_escaped() {
        let m = Metrics::default();
        m.request("/cases/{id}", "GET", 200, Duration::from_millis(3));
        m.request("/cases/{id}", "GET", 200, Duration::from_millis(40));
        m.request("/cases/{id}", "GET", 200, Duration::from_secs(60));
        m.request("/a\"b", "POST", 500, Duration::from_millis(1));
        m.sign_in(SignInOutcome::Locked);
        let mut out = String::new();
        m.render(&mut out);
        for line in [
            "homeward_http_requests_total{route=\"/cases/{id}\",method=\"GET\",status=\"200\"} 3",
            "homeward_http_requests_total{route=\"/a\\\"b\",method=\"POST\",status=\"500\"} 1",
            "homeward_http_request_duration_seconds_bucket{route=\"/cases/{id}\",le=\"0.005\"} 1",
            "homeward_http_request_duration_seconds_bucket{route=\"/cases/{id}\",le=\"0.05\"} 2",
            "homeward_http_request_duration_seconds_bucket{route=\"/cases/{id}\",le=\"30\"} 2",
            "homeward_http_request_duration_seconds_bucket{route=\"/cases/{id}\",le=\"+Inf\"} 3",
            "homeward_http_request_duration_seconds_count{route=\"/cases/{id}\"} 3",
            "homeward_sign_in_refusals_total{outcome=\"locked\"} 1",
            "homeward_sign_in_refusals_total{outcome=\"failed\"} 0",
        ] {
            assert!(out.lines().any(|l| l == line), "{line} not in\n{out}");
        }
    }
}
