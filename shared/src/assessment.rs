//! The reintegration assessment: the instrument (a versioned data file, not code), the
//! validation of answers, and scoring.
//!
//! Scoring, on a 0–1 scale where 1 is fully reintegrated:
//! - an answered indicator scores its option's score; an unanswered one, or one answered
//!   "not applicable" (an option without a score), is left out — never counted as zero;
//! - a dimension's score is the weighted mean of its answered indicators, `None` if none;
//! - the composite is the weighted mean of the three dimension scores, and exists only when
//!   every dimension has one (a composite of two dimensions would not be comparable);
//! - an answered indicator whose score is under its threshold is a need, addressed by the
//!   indicator's service category.
//!
//! An assessment is scored with the instrument version it was taken with, and its scores are
//! stored with it: a later version with other weights never changes a recorded score.

use crate::service::ServiceCategory;
use crate::{FieldError, FieldErrors};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;

crate::code_enum! {
    /// The three dimensions of reintegration.
    pub enum Dimension {
        Economic = "economic",
        Social = "social",
        Psychosocial = "psychosocial",
    }
}

/// A text in every UI language, keyed by locale code (`en`, `fa-AF`, `ps`, `ar`).
pub type Text = BTreeMap<String, String>;

/// The text in `locale`, else English.
pub fn localized<'a>(text: &'a Text, locale: &str) -> &'a str {
    text.get(locale)
        .or_else(|| text.get("en"))
        .map(String::as_str)
        .unwrap_or_default()
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Instrument {
    pub version: u32,
    pub name: Text,
    pub dimensions: Vec<DimensionWeight>,
    pub indicators: Vec<Indicator>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DimensionWeight {
    pub code: Dimension,
    pub weight: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub code: String,
    pub dimension: Dimension,
    pub weight: f64,
    /// A score under this is a need.
    pub need_below: f64,
    pub service: ServiceCategory,
    /// A short name (plans and results list needs by it).
    pub label: Text,
    pub question: Text,
    pub options: Vec<AnswerOption>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnswerOption {
    pub code: String,
    /// `None` for "not applicable": answered, but left out of the score.
    pub score: Option<f64>,
    pub label: Text,
}

/// Every version shipped, oldest first. A new version is a new file added here; old ones stay,
/// so assessments taken with them can still be shown.
const VERSIONS: &[&str] = &[include_str!("../data/assessment/v1.json")];

fn all() -> &'static [Instrument] {
    static PARSED: OnceLock<Vec<Instrument>> = OnceLock::new();
    PARSED.get_or_init(|| {
        VERSIONS
            .iter()
            .map(|text| serde_json::from_str(text).expect("shipped instrument parses"))
            .collect()
    })
}

/// The instrument of a version, if there is one.
pub fn instrument(version: u32) -> Option<&'static Instrument> {
    all().iter().find(|i| i.version == version)
}

impl Instrument {
    /// The short name of an indicator (a need) in `locale`, or its code if this version does
    /// not know it.
    pub fn need_label(&self, need: &str, locale: &str) -> String {
        self.indicators
            .iter()
            .find(|i| i.code == need)
            .map(|i| localized(&i.label, locale).to_string())
            .unwrap_or_else(|| need.to_string())
    }
}

/// The version new assessments are taken with.
pub fn current() -> &'static Instrument {
    all().last().expect("at least one instrument version")
}

/// Answers by indicator code: the option code chosen.
pub type Answers = BTreeMap<String, String>;

/// Scores on a 0–1 scale; `None` where nothing was answered (see the module comment).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    pub economic: Option<f64>,
    pub social: Option<f64>,
    pub psychosocial: Option<f64>,
    pub composite: Option<f64>,
}

impl Scores {
    pub fn of(&self, d: Dimension) -> Option<f64> {
        match d {
            Dimension::Economic => self.economic,
            Dimension::Social => self.social,
            Dimension::Psychosocial => self.psychosocial,
        }
    }
}

/// A need an answer revealed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Need {
    pub indicator: String,
    pub service: ServiceCategory,
    pub score: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub scores: Scores,
    pub needs: Vec<Need>,
}

/// The form name of an indicator's answer.
pub fn answer_key(indicator: &str) -> String {
    format!("answers[{indicator}]")
}

/// The form name under which a dimension without any answer is reported.
pub fn dimension_key(d: Dimension) -> String {
    format!("dimension[{}]", d.as_str())
}

/// Checks answers against the instrument: every answer names a known indicator and one of its
/// options (empty means unanswered), and every dimension has at least one scored answer.
/// Answers the answers kept (empty ones dropped).
pub fn validate(instrument: &Instrument, answers: &Answers) -> Result<Answers, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut kept = Answers::new();
    for (code, option) in answers {
        let option = option.trim();
        if option.is_empty() {
            continue;
        }
        let known = instrument
            .indicators
            .iter()
            .find(|i| i.code == *code)
            .is_some_and(|i| i.options.iter().any(|o| o.code == option));
        if known {
            kept.insert(code.clone(), option.to_string());
        } else {
            errors.add(answer_key(code), FieldError::InvalidChoice);
        }
    }
    if errors.is_empty() {
        let scores = score(instrument, &kept).scores;
        for d in Dimension::ALL {
            if scores.of(*d).is_none() {
                errors.add(dimension_key(*d), FieldError::Required);
            }
        }
    }
    errors.finish(|| kept)
}

/// Scores answers with `instrument`. Answers that are not in the instrument are ignored
/// ([`validate`] refuses them before anything is saved).
pub fn score(instrument: &Instrument, answers: &Answers) -> Outcome {
    let mut needs = Vec::new();
    // (Σ weight × score, Σ weight) per dimension.
    let mut sums: BTreeMap<Dimension, (f64, f64)> = BTreeMap::new();
    for ind in &instrument.indicators {
        let chosen = answers
            .get(&ind.code)
            .and_then(|code| ind.options.iter().find(|o| o.code == *code));
        let Some(s) = chosen.and_then(|o| o.score) else {
            continue;
        };
        let e = sums.entry(ind.dimension).or_default();
        e.0 += ind.weight * s;
        e.1 += ind.weight;
        if s < ind.need_below {
            needs.push(Need {
                indicator: ind.code.clone(),
                service: ind.service,
                score: s,
            });
        }
    }
    let dim = |d: Dimension| {
        sums.get(&d)
            .filter(|(_, w)| *w > 0.0)
            .map(|(sum, w)| (sum / w).clamp(0.0, 1.0))
    };
    let mut scores = Scores {
        economic: dim(Dimension::Economic),
        social: dim(Dimension::Social),
        psychosocial: dim(Dimension::Psychosocial),
        composite: None,
    };
    let weighted: Option<Vec<(f64, f64)>> = instrument
        .dimensions
        .iter()
        .map(|d| scores.of(d.code).map(|s| (s, d.weight)))
        .collect();
    scores.composite = weighted.and_then(|parts| {
        let total: f64 = parts.iter().map(|(_, w)| w).sum();
        (total > 0.0)
            .then(|| (parts.iter().map(|(s, w)| s * w).sum::<f64>() / total).clamp(0.0, 1.0))
    });
    Outcome { scores, needs }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn v1() -> &'static Instrument {
        instrument(1).unwrap()
    }

    /// The answer with the lowest (or highest) score of every indicator.
    fn extreme(instrument: &Instrument, high: bool) -> Answers {
        instrument
            .indicators
            .iter()
            .map(|i| {
                let scored = i.options.iter().filter(|o| o.score.is_some());
                let o = if high {
                    scored.max_by(|a, b| a.score.partial_cmp(&b.score).unwrap())
                } else {
                    scored.min_by(|a, b| a.score.partial_cmp(&b.score).unwrap())
                };
                (i.code.clone(), o.unwrap().code.clone())
            })
            .collect()
    }

    #[test]
    fn version_1_is_complete_in_every_language_and_coherent() {
        let i = v1();
        assert_eq!(current().version, 1);
        let langs = ["en", "fa-AF", "ps", "ar"];
        let texts = std::iter::once(&i.name).chain(i.indicators.iter().flat_map(|ind| {
            [&ind.label, &ind.question]
                .into_iter()
                .chain(ind.options.iter().map(|o| &o.label))
        }));
        for text in texts {
            for l in langs {
                assert!(
                    text.get(l).is_some_and(|t| !t.trim().is_empty()),
                    "{l} missing in {text:?}"
                );
            }
        }
        for d in Dimension::ALL {
            assert!(i.indicators.iter().any(|ind| ind.dimension == *d));
            assert!(i.dimensions.iter().any(|w| w.code == *d));
        }
        let mut codes: Vec<_> = i.indicators.iter().map(|ind| &ind.code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(
            codes.len(),
            i.indicators.len(),
            "indicator codes are unique"
        );
        for ind in &i.indicators {
            assert!(ind.weight > 0.0 && (0.0..=1.0).contains(&ind.need_below));
            assert!(ind
                .options
                .iter()
                .all(|o| o.score.is_none_or(|s| (0.0..=1.0).contains(&s))));
        }
    }

    #[test]
    fn best_answers_score_one_and_reveal_no_need_worst_score_zero_and_reveal_all() {
        let best = score(v1(), &extreme(v1(), true));
        assert_eq!(best.scores.composite, Some(1.0));
        assert!(best.needs.is_empty());
        let worst = score(v1(), &extreme(v1(), false));
        assert_eq!(worst.scores.composite, Some(0.0));
        assert_eq!(worst.needs.len(), v1().indicators.len());
        let housing = worst
            .needs
            .iter()
            .find(|n| n.indicator == "housing")
            .unwrap();
        assert_eq!(housing.service, ServiceCategory::Housing);
    }

    #[test]
    fn a_dimension_is_the_weighted_mean_of_its_answers_only() {
        let answers: Answers = [
            ("food_security", "enough"), // 1.0 × 1.5
            ("debt", "cannot_repay"),    // 0.0 × 1
        ]
        .into_iter()
        .map(|(a, b)| (a.into(), b.into()))
        .collect();
        let s = score(v1(), &answers).scores;
        assert!((s.economic.unwrap() - 0.6).abs() < 1e-9);
        assert_eq!(s.social, None);
        assert_eq!(s.composite, None, "no composite without every dimension");
    }

    #[test]
    fn not_applicable_is_left_out_not_counted_as_zero() {
        let mut answers: Answers = [("health_access", "yes")]
            .into_iter()
            .map(|(a, b)| (a.into(), b.into()))
            .collect();
        let before = score(v1(), &answers).scores.social;
        answers.insert("education_access".into(), "not_applicable".into());
        assert_eq!(score(v1(), &answers).scores.social, before);
        assert_eq!(before, Some(1.0));
    }

    #[test]
    fn validation_refuses_unknown_answers_and_empty_dimensions() {
        let mut answers = extreme(v1(), true);
        answers.insert("housing".into(), "palace".into());
        answers.insert("no_such_question".into(), "yes".into());
        let e = validate(v1(), &answers).unwrap_err();
        assert_eq!(e.get("answers[housing]"), Some(&FieldError::InvalidChoice));
        assert_eq!(
            e.get("answers[no_such_question]"),
            Some(&FieldError::InvalidChoice)
        );
        let only_economic: Answers = [("debt", "no_debt"), ("belonging", " ")]
            .into_iter()
            .map(|(a, b)| (a.into(), b.into()))
            .collect();
        let e = validate(v1(), &only_economic).unwrap_err();
        assert_eq!(e.get("dimension[social]"), Some(&FieldError::Required));
        assert_eq!(
            e.get("dimension[psychosocial]"),
            Some(&FieldError::Required)
        );
        assert!(e.get("dimension[economic]").is_none());
        let kept = validate(v1(), &extreme(v1(), false)).unwrap();
        assert_eq!(kept.len(), v1().indicators.len());
    }

    #[test]
    fn a_new_version_with_other_weights_scores_differently_and_leaves_version_1_alone() {
        let answers: Answers = [
            ("food_security", "enough"),
            ("debt", "cannot_repay"),
            ("housing", "adequate_owned"),
            ("distress", "most_days"),
        ]
        .into_iter()
        .map(|(a, b)| (a.into(), b.into()))
        .collect();
        let before = score(v1(), &answers).scores;
        let mut v2 = v1().clone();
        v2.version = 2;
        for ind in &mut v2.indicators {
            if ind.code == "debt" {
                ind.weight = 3.0;
            }
        }
        let after = score(&v2, &answers).scores;
        assert!(after.economic.unwrap() < before.economic.unwrap());
        assert_eq!(score(v1(), &answers).scores, before);
        assert_eq!(instrument(2), None, "only shipped versions are found");
    }

    /// Any set of answers: for each indicator, nothing or one of its options.
    fn answers_strategy() -> impl Strategy<Value = Answers> {
        let choices: Vec<_> = v1()
            .indicators
            .iter()
            .map(|i| proptest::option::of(0..i.options.len()))
            .collect();
        choices.prop_map(|picks| {
            v1().indicators
                .iter()
                .zip(picks)
                .filter_map(|(i, p)| p.map(|k| (i.code.clone(), i.options[k].code.clone())))
                .collect()
        })
    }

    proptest! {
        #[test]
        fn scores_stay_between_zero_and_one(answers in answers_strategy()) {
            let s = score(v1(), &answers).scores;
            for x in [s.economic, s.social, s.psychosocial, s.composite].into_iter().flatten() {
                prop_assert!((0.0..=1.0).contains(&x));
            }
            let all_dims = s.economic.is_some() && s.social.is_some() && s.psychosocial.is_some();
            prop_assert_eq!(s.composite.is_some(), all_dims);
        }

        #[test]
        fn dropping_an_answer_is_the_same_as_never_asking(answers in answers_strategy(), k in 0usize..17) {
            let code = &v1().indicators[k % v1().indicators.len()].code;
            let mut without = answers.clone();
            without.remove(code);
            let mut blank = answers.clone();
            blank.insert(code.clone(), "unknown-option".into());
            prop_assert_eq!(score(v1(), &without), score(v1(), &blank));
        }

        #[test]
        fn scaling_every_weight_changes_nothing(answers in answers_strategy(), factor in 0.1f64..10.0) {
            let mut scaled = v1().clone();
            scaled.indicators.iter_mut().for_each(|i| i.weight *= factor);
            scaled.dimensions.iter_mut().for_each(|d| d.weight *= factor);
            let (a, b) = (score(v1(), &answers).scores, score(&scaled, &answers).scores);
            for (x, y) in [(a.economic, b.economic), (a.social, b.social), (a.psychosocial, b.psychosocial), (a.composite, b.composite)] {
                prop_assert_eq!(x.is_some(), y.is_some());
                if let (Some(x), Some(y)) = (x, y) { prop_assert!((x - y).abs() < 1e-9); }
            }
        }

        #[test]
        fn a_better_answer_never_lowers_its_dimension(answers in answers_strategy(), k in 0usize..17) {
            let ind = &v1().indicators[k % v1().indicators.len()];
            let best = ind.options.iter().filter(|o| o.score.is_some())
                .max_by(|a, b| a.score.partial_cmp(&b.score).unwrap()).unwrap();
            let mut better = answers.clone();
            better.insert(ind.code.clone(), best.code.clone());
            let before = score(v1(), &answers).scores.of(ind.dimension);
            let after = score(v1(), &better).scores.of(ind.dimension).unwrap();
            if let Some(before) = before { prop_assert!(after + 1e-9 >= before); }
        }
    }
}
