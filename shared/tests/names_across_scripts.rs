//! Recall and false matches of names across scripts, on real Afghan and Iraqi names
//! (`tests/data/names.tsv`, its source in its header): every Latin spelling of a name should
//! be similar to the name in Arabic script, and spellings of other names should not.
//! `cargo test -p shared --test names_across_scripts -- --nocapture` prints the figures.

use shared::names::{normalize, same_across_scripts, similar};

struct Name {
    arabic: String,
    latin: Vec<String>,
}

fn names() -> Vec<Name> {
    include_str!("data/names.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let fields: Vec<&str> = l.split('\t').collect();
            assert_eq!(fields.len(), 4, "{l}");
            Name {
                arabic: fields[2].to_string(),
                latin: fields[3].split('|').map(str::to_string).collect(),
            }
        })
        .collect()
}

#[test]
fn latin_spellings_find_the_name_in_arabic_script() {
    let names = names();
    assert!(names.len() >= 300, "at least 300 names");

    let (mut pairs, mut found) = (0usize, 0usize);
    let mut missed: Vec<String> = Vec::new();
    for n in &names {
        for latin in &n.latin {
            pairs += 1;
            if similar(latin, &n.arabic) {
                found += 1;
            } else {
                missed.push(format!("{latin} / {}", n.arabic));
            }
        }
    }

    // Non-pairs: each name in Arabic script against the spellings of every other name. Two
    // lines are one name when they are spelt the same once normalized (Iraqi علي, Afghan
    // علی) or share a Latin spelling (Hamid is حامد and حمید; Laila لیلا and ليلى).
    let same_name = |a: &Name, b: &Name| {
        normalize(&a.arabic) == normalize(&b.arabic)
            || a.latin
                .iter()
                .any(|l| b.latin.iter().any(|m| m.eq_ignore_ascii_case(l)))
    };
    let (mut non_pairs, mut false_matches) = (0usize, 0usize);
    let mut names_with_a_false_match = 0usize;
    let mut examples: Vec<String> = Vec::new();
    for n in &names {
        let mut any = false;
        for other in names.iter().filter(|o| !same_name(n, o)) {
            for latin in &other.latin {
                non_pairs += 1;
                if similar(latin, &n.arabic) {
                    false_matches += 1;
                    any = true;
                    if examples.len() < 40 {
                        examples.push(format!("{latin} / {}", n.arabic));
                    }
                }
            }
        }
        names_with_a_false_match += usize::from(any);
    }

    let recall = found as f64 / pairs as f64;
    let false_rate = false_matches as f64 / non_pairs as f64;
    println!(
        "{} names, {pairs} Latin spellings: recall {:.1} % ({found}); {non_pairs} non-pairs: \
         false matches {:.3} % ({false_matches}), names with at least one {:.1} % ({names_with_a_false_match})",
        names.len(),
        recall * 100.0,
        false_rate * 100.0,
        names_with_a_false_match as f64 / names.len() as f64 * 100.0,
    );
    println!("missed: {missed:?}");
    println!("false matches, first 40: {examples:?}");
    // Floors a little under the figures measured when the keys were made (the note of
    // issue 12 has them), so that a change that loses recall or lets more through fails.
    assert!(recall >= 0.95, "recall {recall}");
    assert!(false_rate <= 0.0005, "false-match rate {false_rate}");
}

#[test]
fn single_words_match_by_their_keys_alone() {
    // The search index matches word by word: a one-word name's spellings must share a key
    // with it without the whole-name similarity's help.
    let names = names();
    let (mut pairs, mut found) = (0usize, 0usize);
    for n in names.iter().filter(|n| !n.arabic.contains(' ')) {
        for latin in n.latin.iter().filter(|l| !l.contains(' ')) {
            pairs += 1;
            found += usize::from(same_across_scripts(latin, &n.arabic));
        }
    }
    let recall = found as f64 / pairs as f64;
    println!("word keys: recall {:.1} % of {pairs}", recall * 100.0);
    assert!(recall >= 0.95, "recall {recall}");
}
