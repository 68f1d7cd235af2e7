//! What a name is indexed under and what a search word looks for ([`index_terms`],
//! [`word_terms`]): the words themselves (matched by prefix while typing), Latin skeletons
//! (other spellings of one transliteration) and the keys the two scripts share.

use super::normalize::{compact, normalize, tokens};
use super::script_key::{arabic_keys, latin_keys, loose_key, same_across_scripts};
use super::similarity::name_words;
use super::skeleton::{is_latin_word, latin_skeleton};
use std::collections::HashMap;

/// Tags of the terms that are not words: a term starts with one of these, a word never does
/// (normalizing turns punctuation into spaces).
pub const SKELETON: char = '~';
/// The keys of a word in Arabic script, which Latin searches look up.
pub const ARABIC_KEY: char = '=';
/// The loose key of a Latin word, which Arabic-script searches look up.
pub const LATIN_KEY: char = '+';

/// How well a term matched a search word, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Match {
    /// The word itself.
    Exact,
    /// A word it begins, or another Latin spelling of it.
    SameScript,
    /// The word in the other script.
    OtherScript,
}

/// The terms one name (in either script) is indexed under: its words, its words with their
/// particles joined (عبد الله → عبدالله, Abd al Rahman → abdalrahman), the whole name
/// without spaces, and for each word its Latin skeleton and loose key, or its Arabic-script
/// keys.
pub fn index_terms(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |t: String| {
        if t.len() > 1 && !out.contains(&t) {
            out.push(t);
        }
    };
    let normalized = normalize(name);
    let mut words = tokens(&normalized);
    for w in name_words(&normalized) {
        if !words.contains(&w) {
            words.push(w);
        }
    }
    for w in words {
        if is_latin_word(&w) {
            let skeleton = latin_skeleton(&w);
            if skeleton != w && !skeleton.is_empty() {
                add(format!("{SKELETON}{skeleton}"));
            }
            if let Some(k) = loose_key(&w) {
                add(format!("{LATIN_KEY}{k}"));
            }
        } else {
            for k in arabic_keys(&w) {
                add(format!("{ARABIC_KEY}{k}"));
            }
        }
        add(w);
    }
    add(compact(&normalized));
    out
}

/// What one normalized search word finds: the words it begins (`prefix`, a range of terms),
/// and whole terms in the same script and in the other.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WordTerms {
    pub word: String,
    /// The end of the prefix range: every term from `word` up to (not including) this.
    pub prefix_end: String,
    pub same_script: Vec<String>,
    pub other_script: Vec<String>,
}

impl WordTerms {
    /// How well `term`, one of those this word finds, matched it.
    pub fn grade(&self, term: &str) -> Match {
        if term == self.word {
            Match::Exact
        } else if self.other_script.iter().any(|t| t == term) {
            Match::OtherScript
        } else {
            Match::SameScript
        }
    }
}

/// The terms a search word looks up. A Latin word: its Latin skeleton, and the keys of its
/// readings among names in Arabic script; an Arabic-script word: its loose key among names
/// registered in Latin only.
pub fn word_terms(word: &str) -> WordTerms {
    let mut same_script = Vec::new();
    let mut other_script = Vec::new();
    if is_latin_word(word) {
        let skeleton = latin_skeleton(word);
        if skeleton != word && !skeleton.is_empty() {
            same_script.push(format!("{SKELETON}{skeleton}"));
        }
        other_script.extend(
            latin_keys(word)
                .into_iter()
                .map(|k| format!("{ARABIC_KEY}{k}")),
        );
    } else if !arabic_keys(word).is_empty() {
        other_script.extend(loose_key(word).map(|k| format!("{LATIN_KEY}{k}")));
    }
    WordTerms {
        word: word.to_string(),
        prefix_end: format!("{word}\u{10FFFF}"),
        same_script,
        other_script,
    }
}

/// Whether a search word in one script is, by the keys the scripts share, one of the words
/// of a name in the other (its words, or its words with particles joined, as indexed).
/// A search checks hundreds of names that share most of their words (the word searched for,
/// common given names), and a Latin word's keys are costly (every vowel short or long), so
/// each distinct word is compared once.
pub struct OtherScript<'w> {
    word: &'w str,
    compared: HashMap<String, bool>,
}

impl<'w> OtherScript<'w> {
    pub fn new(word: &'w str) -> Self {
        OtherScript {
            word,
            compared: HashMap::new(),
        }
    }

    pub fn in_name(&mut self, name: &str) -> bool {
        let normalized = normalize(name);
        let (word, compared) = (self.word, &mut self.compared);
        tokens(&normalized)
            .into_iter()
            .chain(name_words(&normalized))
            .any(|w| {
                *compared
                    .entry(w)
                    .or_insert_with_key(|w| same_across_scripts(word, w))
            })
    }
}

/// The words of a search, particles joined to their word as the index has them ("abd al
/// rahman" is one word, "abdalrahman").
pub fn search_words(q: &str) -> Vec<String> {
    name_words(&normalize(q))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_indexed_under_its_words_skeletons_and_keys() {
        let terms = index_terms("Mohammad Karimi");
        for t in [
            "mohammad",
            "karimi",
            "~m.h.m.d",
            "+mhmd",
            "+krm",
            "mohammadkarimi",
        ] {
            assert!(terms.contains(&t.to_string()), "{t} in {terms:?}");
        }
        let terms = index_terms("محمد کریمی");
        for t in ["محمد", "کریمی", "=mhmd", "=krymy", "محمدکریمی"] {
            assert!(terms.contains(&t.to_string()), "{t} in {terms:?}");
        }
        let terms = index_terms("عبد الله احمدی");
        assert!(
            terms.contains(&"عبدالله".to_string()),
            "particles joined: {terms:?}"
        );
    }

    #[test]
    fn a_latin_search_finds_the_arabic_keys_and_back() {
        let latin = word_terms("mohammad");
        let arabic = index_terms("محمد");
        assert!(latin.other_script.iter().any(|t| arabic.contains(t)));
        let arabic_query = word_terms("محمد");
        let latin_name = index_terms("Muhammad");
        assert!(arabic_query
            .other_script
            .iter()
            .any(|t| latin_name.contains(t)));
        assert_eq!(latin.grade("mohammad"), Match::Exact);
        assert_eq!(latin.grade("mohammadi"), Match::SameScript);
        assert_eq!(latin.grade("=mhmd"), Match::OtherScript);
    }

    #[test]
    fn a_loose_key_is_checked_against_the_name() {
        assert!(OtherScript::new("محمد").in_name("Muhammad Karimi"));
        assert!(!OtherScript::new("محمود").in_name("Muhammad Karimi"));
        assert!(OtherScript::new("karimi").in_name("محمد کریمی"));
        assert!(OtherScript::new("abdullah").in_name("عبد الله احمدی"));
        // Compared once, answered the same the second time.
        let mut karimi = OtherScript::new("karimi");
        assert!(karimi.in_name("علی کریمی") && karimi.in_name("احمد کریمی"));
        assert!(!karimi.in_name("احمد رحیمی"));
    }

    #[test]
    fn search_words_join_particles() {
        assert_eq!(
            search_words("Abd al-Rahman Karimi"),
            ["abdalrahman", "karimi"]
        );
        assert_eq!(search_words("moh"), ["moh"]);
    }
}
