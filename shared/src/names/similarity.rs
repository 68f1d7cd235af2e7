//! How alike two whole names are, word by word: [`similarity`], [`similar`], [`SIMILAR`].

use super::normalize::normalize;
use super::script_key::same_across_scripts;
use super::skeleton::{is_latin_word, is_plain_vowel, same_skeleton};

/// Two names at least this similar are flagged as possibly the same person.
///
/// Chosen with the tests below. Spelling variants score 1.0 (same normalized or compact form,
/// same skeletons) or, where the skeleton misses the variant, at least 0.92 (Usman / Uthman
/// Ghani 0.92, a dropped middle name 0.93, Fatma / Fatima Ahmadi 0.98). Different people score
/// below 0.7 when given and family names both differ; 0.85–0.87 with the same common given
/// name and another family name (Mohammad Ahmadi / Mohammad Rahimi, محمد احمدی / محمد رحیمی);
/// 0.90 for a lone given name against a full name; and 0.88–0.904 for relatives sharing a
/// family name whose given names share most letters (Zainab / Zahra, Hassan / Hussein, Niaz /
/// Nawaz, Mohammad / Mahmoud). 0.91 is in the gap between the two groups.
///
/// No threshold separates the rest: given names one letter apart (Fatima / Fahima Ahmadi, 0.96)
/// and names whose words differ only in a nisba -i (Mohammad Ahmadi / Ahmad Mohammadi, 0.97)
/// are flagged, and Daud / Dawood Ahmadi (0.90) is missed. A flag is a prompt for a person to
/// look, not a merge.
pub const SIMILAR: f64 = 0.91;

/// How much a name loses when the other has words it lacks. Records routinely drop a father's
/// or grandfather's name, so a difference should cost little when most words are explained,
/// but a lone given name must not pass for a full name (there are many Mohammads): the score
/// is multiplied by `1 - COUNT_PENALTY × unmatched / words of the longer name`, which is 0.9
/// for one word against two (below [`SIMILAR`]), 0.933 for two against three and 0.95 for
/// three against four.
const COUNT_PENALTY: f64 = 0.2;

/// Words that belong to the next word, written detached or attached: the article (al, el, ul,
/// ال) and the name-forming "servant of" and "father of" (Abd al-Rahman / Abdulrahman,
/// Abu Bakr / Abubakr, عبد الله / عبدالله). Normalized forms.
const JOINS_NEXT: &[&str] = &[
    "al", "el", "ul", "abd", "abdul", "abdel", "abdal", "abdol", "abdu", "abu", "ال", "عبد", "ابو",
];

/// Words that belong to the previous word: -ullah and -uddin in their spellings (Nasr Ullah /
/// Nasrullah, نصر الله / نصرالله, Ala al-Din / Alaaldin). "al din" is first joined to "aldin".
const JOINS_PREVIOUS: &[&str] = &[
    "allah",
    "ullah",
    "ulla",
    "ollah",
    "olla",
    "aldin",
    "eldin",
    "uddin",
    "uldin",
    "addin",
    "eddin",
    "oddin",
    "الله",
    "الدین",
];

/// The words of a normalized name as [`similarity`] compares them: particles joined to their
/// word, then repeats dropped.
pub(super) fn name_words(normalized: &str) -> Vec<String> {
    let mut joined: Vec<String> = Vec::new();
    let mut prefix = String::new();
    for word in normalized.split(' ').filter(|w| !w.is_empty()) {
        if JOINS_NEXT.contains(&word) {
            prefix.push_str(word);
            continue;
        }
        let word = std::mem::take(&mut prefix) + word;
        match joined.last_mut() {
            Some(last) if JOINS_PREVIOUS.contains(&word.as_str()) => last.push_str(&word),
            _ => joined.push(word),
        }
    }
    if !prefix.is_empty() {
        joined.push(prefix);
    }
    let mut out: Vec<String> = Vec::with_capacity(joined.len());
    for word in joined {
        if !out.contains(&word) {
            out.push(word);
        }
    }
    out
}

/// Joins two adjacent words of `words` where `other` has them as one word ("Mohammad Ali" /
/// "Mohammadali", "Gul Bibi" / "Gulbibi"), so that a compound written apart in one name and
/// together in the other, in a different word order, still matches word for word. Only where
/// neither word alone already matches that word: a skeleton can swallow a short word (the
/// skeleton of "rqkc" is that of "rq").
fn join_split_words(words: &mut Vec<String>, other: &[String]) {
    let same = |a: &str, b: &str| word_similarity(a, b) == 1.0;
    let mut i = 0;
    while i + 1 < words.len() {
        let joined = format!("{}{}", words[i], words[i + 1]);
        if other
            .iter()
            .any(|o| same(&joined, o) && !same(&words[i], o) && !same(&words[i + 1], o))
        {
            words[i] = joined;
            words.remove(i + 1);
        }
        i += 1;
    }
}

/// Jaro similarity on characters.
fn jaro(a: &[char], b: &[char]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut b_used = vec![false; b.len()];
    let mut a_matched: Vec<char> = Vec::new();
    for (i, &ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for j in lo..hi {
            if !b_used[j] && b[j] == ca {
                b_used[j] = true;
                a_matched.push(ca);
                break;
            }
        }
    }
    let m = a_matched.len();
    if m == 0 {
        return 0.0;
    }
    let b_matched = b.iter().zip(&b_used).filter(|(_, &u)| u).map(|(&c, _)| c);
    let half_transpositions = a_matched
        .iter()
        .zip(b_matched)
        .filter(|(x, y)| *x != y)
        .count();
    let m = m as f64;
    let t = half_transpositions as f64 / 2.0;
    (m / a.len() as f64 + m / b.len() as f64 + (m - t) / m) / 3.0
}

/// Jaro-Winkler similarity (prefix scale 0.1, prefix of up to four characters), computed with
/// the arguments in a fixed order so that it is exactly symmetric.
fn jaro_winkler(a: &str, b: &str) -> f64 {
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let j = jaro(&a, &b);
    let prefix = a.iter().zip(&b).take(4).take_while(|(x, y)| x == y).count();
    j + prefix as f64 * 0.1 * (1.0 - j)
}

/// A Latin word with a final -y after a consonant written -i: both spell the ending ی (Aly /
/// Ali, Ahmady / Ahmadi, Hashemy / Hashemi).
fn final_y_as_i(word: &str) -> std::borrow::Cow<'_, str> {
    let b = word.as_bytes();
    if is_latin_word(word)
        && b.len() > 2
        && b[b.len() - 1] == b'y'
        && !is_plain_vowel(b[b.len() - 2])
    {
        format!("{}i", &word[..word.len() - 1]).into()
    } else {
        word.into()
    }
}

/// How alike two words are: 1.0 for the same word (up to a final -y / -i), the same
/// informative Latin skeleton, or a Latin and an Arabic-script word with a key in common;
/// otherwise Jaro-Winkler.
fn word_similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (final_y_as_i(a), final_y_as_i(b));
    if a == b || same_skeleton(&a, &b) || same_across_scripts(&a, &b) {
        1.0
    } else {
        jaro_winkler(&a, &b)
    }
}

/// The largest total similarity of a one-to-one matching of every word of `short` to a word
/// of `long` (`short.len() <= long.len()`). Exact for names of up to ten words (subset dynamic
/// programming); longer inputs, which are not names, are matched greedily.
fn best_matching(short: &[String], long: &[String]) -> f64 {
    let scores: Vec<Vec<f64>> = short
        .iter()
        .map(|s| long.iter().map(|l| word_similarity(s, l)).collect())
        .collect();
    if long.len() <= 10 {
        // best[mask]: the best total for the first popcount(mask) words of `short`, matched
        // to the words of `long` in `mask`.
        let mut best = vec![f64::NEG_INFINITY; 1 << long.len()];
        best[0] = 0.0;
        for mask in 0..best.len() {
            let i = mask.count_ones() as usize;
            if i >= short.len() || best[mask] == f64::NEG_INFINITY {
                continue;
            }
            for (j, score) in scores[i].iter().enumerate() {
                if mask & (1 << j) == 0 {
                    let next = mask | (1 << j);
                    best[next] = best[next].max(best[mask] + score);
                }
            }
        }
        best.iter()
            .enumerate()
            .filter(|(mask, _)| mask.count_ones() as usize == short.len())
            .map(|(_, &total)| total)
            .fold(0.0, f64::max)
    } else {
        let mut short_used = vec![false; short.len()];
        let mut long_used = vec![false; long.len()];
        let mut total = 0.0;
        for _ in 0..short.len() {
            let mut pick: Option<(usize, usize, f64)> = None;
            for (i, row) in scores.iter().enumerate().filter(|(i, _)| !short_used[*i]) {
                for (j, &score) in row.iter().enumerate().filter(|(j, _)| !long_used[*j]) {
                    if pick.is_none_or(|(_, _, s)| score > s) {
                        pick = Some((i, j, score));
                    }
                }
            }
            let Some((i, j, score)) = pick else { break };
            short_used[i] = true;
            long_used[j] = true;
            total += score;
        }
        total
    }
}

/// How likely two full names are to be one person's, in [0, 1].
///
/// - Names with the same [`normalize`] or [`compact`] form score 1.0, and so do Latin names
///   whose compact forms have the same informative [`latin_skeleton`] ("Abd al-Rahman" /
///   "Abdulrahman").
/// - Otherwise the names are split into words (particles such as al-, Abd, -ullah joined to
///   their word, so "Al-Jubouri" and "Aljubouri" are one word either way) and compared
///   regardless of order, since given and family names are swapped between documents. Two
///   adjacent words that the other name has as one word are joined ("Mohammad Ali Ahmadi" /
///   "Ahmadi Mohammadali"). Each word of the name with fewer words is matched to a different
///   word of the other so that the total is largest, a pair scoring 1.0 if the words are equal
///   (a final -y read as -i) or have the same informative skeleton, and their Jaro-Winkler
///   similarity otherwise. The score is the mean over the shorter name, reduced when the
///   other name has unmatched words (by 0.2 × their share of its words; see `COUNT_PENALTY`).
/// - An empty name (nothing left after normalizing) is similar to nothing: 0.0.
///
/// Symmetric: the arguments are put in a fixed order first.
///
/// [`compact`]: super::compact
/// [`latin_skeleton`]: super::latin_skeleton
pub fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (normalize(a), normalize(b));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a == b {
        return 1.0;
    }
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    let (compact_a, compact_b) = (a.replace(' ', ""), b.replace(' ', ""));
    if compact_a == compact_b || same_skeleton(&compact_a, &compact_b) {
        return 1.0;
    }
    let (mut words_a, mut words_b) = (name_words(&a), name_words(&b));
    join_split_words(&mut words_a, &words_b);
    join_split_words(&mut words_b, &words_a);
    let (short, long) = if words_a.len() <= words_b.len() {
        (words_a, words_b)
    } else {
        (words_b, words_a)
    };
    let mean = best_matching(&short, &long) / short.len() as f64;
    let unmatched = (long.len() - short.len()) as f64 / long.len() as f64;
    (mean * (1.0 - COUNT_PENALTY * unmatched)).clamp(0.0, 1.0)
}

/// Whether two names may be one person's: [`similarity`] of at least [`SIMILAR`].
pub fn similar(a: &str, b: &str) -> bool {
    similarity(a, b) >= SIMILAR
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::strategies::name_text;
    use proptest::prelude::*;

    // --- similarity -----------------------------------------------------------------------

    const MUST_BE_SIMILAR: &[(&str, &str)] = &[
        ("محمد احمدی", "محمد احمدي"),
        ("فاطمة", "فاطمه"),
        ("أحمد", "احمد"),
        ("عبد الله", "عبدالله"),
        ("مُحَمَّد", "محمد"),
        ("Mohammad Ahmadi", "muhammad ahmady"),
        ("Ahmadi Mohammad", "Mohammad Ahmadi"),
        ("Al-Jubouri Ali", "Ali Aljubouri"),
        ("Abd al-Rahman", "Abdulrahman"),
        ("Zainab Hassan", "Zaynab Hasan"),
        ("Gul Bibi", "Gul  bibi"),
        // Beyond the required pairs.
        ("Gul Bibi", "Gulbibi"),
        ("Hussein Yousef", "Yusuf Husain"),
        ("Nasr Ullah Karimi", "Nasrullah Karimi"),
        ("نصر الله کریمی", "نصرالله كريمي"),
        ("Abdul Karim Rahimi", "Rahimi Abdulkarim"),
        ("Ali Ahmadi", "Aly Ahmady"),
        ("Fatima Ahmadi", "Fatma Ahmadi"),
        ("Mohammad Karim Ahmadi", "Mohammad Ahmadi"),
        ("Kadhim Jawad Al-Tamimi", "Kazim Javad Tamimi"),
        ("Ja'far Mas'ud", "Jafar Masud"),
        ("Usman Ghani", "Uthman Ghani"),
        ("Ali Hassan Al-Tamimi", "Ali Hassan"),
        ("Hussien Kadhim", "Hussein Kazem"),
        ("Ziad Zakaria", "Ziyad Zakariya"),
        ("محمد علی احمدی", "احمدی محمدعلی"),
    ];

    const MUST_NOT_BE_SIMILAR: &[(&str, &str)] = &[
        ("Mohammad Ahmadi", "Fatima Rahimi"),
        ("Ali Hassan", "Omar Saleh"),
        ("محمد", "فاطمه"),
        ("Hassan Ali", "Hussein Omar"),
        ("Karim", "Kamal Rahimi"),
        // Beyond the required pairs.
        ("Mohammad Ahmadi", "Mohammad Rahimi"),
        ("محمد احمدی", "محمد رحیمی"),
        ("Mohammad", "Mohammad Ahmadi"),
        ("Niaz Mohammad", "Nawaz Mohammad"),
        ("Mohammad Ahmadi", "Mahmoud Ahmadi"),
        ("Zainab Hassan", "Zahra Hassan"),
        ("Hassan Ali", "Hussein Ali"),
        ("Mohammad", "محمود"),
        ("Hassan Karimi", "حسین کریمی"),
        ("", ""),
        ("Ali", ""),
    ];

    #[test]
    fn known_limits_are_as_documented() {
        // Relatives with given names a letter apart are flagged; a review tells them apart.
        assert!(similar("Fatima Ahmadi", "Fahima Ahmadi"));
        assert!(similar("Mohammad Ahmadi", "Ahmad Mohammadi"));
        // A long vowel written out in one spelling only is missed.
        assert!(!similar("Daud Ahmadi", "Dawood Ahmadi"));
        assert!(similarity("Daud Ahmadi", "Dawood Ahmadi") >= 0.85);
        // Across scripts a name is the same when every word shares a key (the keys' own
        // tests show where they fail).
        assert_eq!(similarity("Mohammad Karimi", "محمد کریمی"), 1.0);
    }

    #[test]
    fn spelling_variants_are_similar() {
        for &(a, b) in MUST_BE_SIMILAR {
            assert!(similar(a, b), "{a:?} vs {b:?}: {}", similarity(a, b));
        }
    }

    #[test]
    fn different_people_are_not_similar() {
        for &(a, b) in MUST_NOT_BE_SIMILAR {
            assert!(!similar(a, b), "{a:?} vs {b:?}: {}", similarity(a, b));
        }
    }

    #[test]
    fn the_required_pairs_are_far_from_the_threshold() {
        // Margins, so that a small change of weights does not flip them silently.
        for &(a, b) in &MUST_BE_SIMILAR[..11] {
            assert_eq!(similarity(a, b), 1.0, "{a:?} vs {b:?}");
        }
        for &(a, b) in &MUST_NOT_BE_SIMILAR[..5] {
            assert!(
                similarity(a, b) < 0.7,
                "{a:?} vs {b:?}: {}",
                similarity(a, b)
            );
        }
    }

    #[test]
    fn a_lone_given_name_loses_to_the_count_penalty() {
        let s = similarity("Mohammad", "Mohammad Ahmadi");
        assert!((s - 0.9).abs() < 1e-9, "{s}");
        let s = similarity("Mohammad Ahmadi", "Mohammad Karim Ahmadi");
        assert!((s - (1.0 - 0.2 / 3.0)).abs() < 1e-9, "{s}");
    }

    #[test]
    fn jaro_winkler_agrees_with_the_published_examples() {
        let close = |a: &str, b: &str, expected: f64| {
            let got = jaro_winkler(a, b);
            assert!((got - expected).abs() < 0.001, "{a} {b}: {got}");
        };
        close("martha", "marhta", 0.961);
        close("dwayne", "duane", 0.840);
        close("dixon", "dicksonx", 0.813);
        close("abc", "xyz", 0.0);
        close("same", "same", 1.0);
    }

    #[test]
    fn particles_join_their_word() {
        assert_eq!(
            name_words("abd al rahman al jubouri"),
            vec!["abdalrahman", "aljubouri"]
        );
        assert_eq!(
            name_words("nasr ullah ala al din"),
            vec!["nasrullah", "alaaldin"]
        );
        assert_eq!(name_words("عبد الله"), vec!["عبدالله"]);
        assert_eq!(name_words("ali al"), vec!["ali", "al"]);
        assert_eq!(name_words("ullah ali"), vec!["ullah", "ali"]);
    }

    #[test]
    fn long_inputs_are_matched_greedily_and_stay_in_range() {
        let a = "a b c d e f g h i j k l mohammad";
        let b = "mohammad l k j i h g f e d c b a x";
        let s = similarity(a, b);
        assert!((0.0..=1.0).contains(&s));
        assert!((s - similarity(b, a)).abs() < 1e-9);
    }

    proptest! {
        #[test]
        fn similarity_is_symmetric_and_in_range(a in name_text(), b in name_text()) {
            let ab = similarity(&a, &b);
            let ba = similarity(&b, &a);
            prop_assert!((0.0..=1.0).contains(&ab), "{}", ab);
            prop_assert!((ab - ba).abs() < 1e-9, "{} {}", ab, ba);
        }

        #[test]
        fn similarity_is_symmetric_and_in_range_on_any_text(a in any::<String>(), b in any::<String>()) {
            let ab = similarity(&a, &b);
            prop_assert!((0.0..=1.0).contains(&ab), "{}", ab);
            prop_assert!((ab - similarity(&b, &a)).abs() < 1e-9);
        }

        #[test]
        fn a_name_is_fully_similar_to_itself(
            letter in prop::sample::select(&['m', 'Z', 'ک', 'ي', 'ة', '۷'][..]),
            s in name_text(),
        ) {
            let s = format!("{s}{letter}");
            prop_assert!(!normalize(&s).is_empty());
            prop_assert_eq!(similarity(&s, &s), 1.0);
        }

        #[test]
        fn swapping_words_keeps_a_name_similar(a in "[a-z]{2,8}", b in "[a-z]{2,8}") {
            // Particles belong to the word after or before them, so they cannot be swapped.
            prop_assume!(![&a, &b].iter().any(|w| JOINS_NEXT.contains(&w.as_str()) || JOINS_PREVIOUS.contains(&w.as_str())));
            prop_assert_eq!(similarity(&format!("{a} {b}"), &format!("{b} {a}")), 1.0);
        }
    }
}
