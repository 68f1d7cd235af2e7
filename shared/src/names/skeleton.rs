//! The loose key that Latin transliterations of one name share ([`latin_skeleton`]).

use super::normalize::compact;

pub(super) fn is_plain_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// A loose key for Latin transliterations of one word: two spellings of the same Arabic-script
/// name usually get the same skeleton (Mohammad, Muhammad, Mohammed, Muhammed → `m.h.m.d`;
/// Hussein, Husain, Hussain, Husayn, Hossein, Hussien → `h.sy.n`; Yousef, Yusuf, Yousuf →
/// `y.s.f`; Ahmadi, Ahmady → `ahm.d.`). Input that is not entirely Latin letters (Arabic script, digits)
/// is returned as [`compact`]`(word)`; a multi-word input is compacted first.
///
/// The rules, in order, on the compacted word:
///
/// 1. Consonant spellings that stand for one Arabic or Persian letter are merged: `ph` → `f`;
///    `q`, `ck` and `c` (but not `ch`) → `k` (Qasim / Kasim); `v` → `w` (Persian Vahid, Arabic
///    Wahid); `dh` → `z` (the ذ ض ظ of Iraqi Kadhim, Nadhim are written z in Persian-style
///    Kazim, Nazim). `kh`, `gh`, `sh`, `ch`, `th` and `zh` stay: they are separate letters.
/// 2. A final `h` after a vowel is dropped: it marks teh marbuta or a final heh (Fatimah /
///    Fatima, Abdullah / Abdulla).
/// 3. Doubled letters are single (Hassan / Hasan, Mohammad / Mohamad), and `i` before a vowel
///    is read as `y` (Ziad / Ziyad, Mariam / Maryam, Hussien / Hussein).
/// 4. Vowels. `a e i o u` are vowels; `y` is a vowel unless a vowel follows it (Ahmady, Zaynab,
///    but the consonant of Yusuf, Ziyad); `w` is a vowel after a vowel when no vowel follows it
///    (Tawfiq / Toufiq, but the consonant of Marwa, Nawaz). Each run of vowels inside the word
///    becomes `.`, because transliterators disagree on which vowel but rarely on whether there
///    is one: this keeps Mahmoud (`m.hm.d`) apart from Mohammad (`m.h.m.d`). A run that begins
///    with `a` or `e` and goes on to `i`, `y` or (after `a`) `e` is the diphthong ay/ey, written
///    ai, ay, ei, ey, ae, aee, and becomes `y.` (Zainab / Zaynab / Zeinab, Ismail / Ismael /
///    Esmaeel); this keeps Hussein (`h.sy.n`) apart from Hassan (`h.s.n`). The vowel before a
///    consonant `y` is left out, so Sayed, Said and Saeed all give `sy.d` and Ziyad gives Ziad's
///    `zy.d`. A run at the start of the word becomes one letter for its class, `a` for a, `e`
///    for e and i, `o` for o and u (Ibrahim / Ebrahim, Omar / Umar, Osman / Usman), followed by
///    `y.` for a diphthong.
///
/// Limits: the key is made for the spellings common in Afghan and Iraqi documents and gets
/// others wrong. Sun-letter assimilation (Abdurrahman vs Abdulrahman), Persian s for Arabic th
/// (Usman / Uthman), d for dh (Rida / Ridha) and a long vowel written or left out (Fatma /
/// Fatima, Daud / Dawood) all give different keys. In the other direction different names can
/// share a key (سعید Said / سید Sayed, Amir / Amer), so [`similarity`] trusts a shared key only
/// when it has at least two consonants (Ali / Ala share `al.`).
///
/// [`similarity`]: fn@super::similarity
pub fn latin_skeleton(word: &str) -> String {
    let compacted = compact(word);
    if compacted.is_empty() || !compacted.bytes().all(|b| b.is_ascii_lowercase()) {
        return compacted;
    }
    let input = compacted.as_bytes();

    // 1. Consonant spellings.
    let mut spelled: Vec<u8> = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        let next = input.get(i + 1).copied();
        match (input[i], next) {
            (b'p', Some(b'h')) => {
                spelled.push(b'f');
                i += 1;
            }
            (b'd', Some(b'h')) => {
                spelled.push(b'z');
                i += 1;
            }
            (b'c', Some(b'k')) => {
                spelled.push(b'k');
                i += 1;
            }
            (b'c', Some(b'h')) => {
                spelled.extend_from_slice(b"ch");
                i += 1;
            }
            (b'c', _) | (b'q', _) => spelled.push(b'k'),
            (b'v', _) => spelled.push(b'w'),
            (b, _) => spelled.push(b),
        }
        i += 1;
    }

    // 2. Final h after a vowel.
    if spelled.len() > 2
        && spelled.last() == Some(&b'h')
        && is_plain_vowel(spelled[spelled.len() - 2])
    {
        spelled.pop();
    }

    // 3. Doubled letters; then i before a vowel is the consonant y (Ziad / Ziyad, Mariam /
    // Maryam), which may double a y again.
    spelled.dedup();
    for i in 0..spelled.len().saturating_sub(1) {
        if spelled[i] == b'i' && is_plain_vowel(spelled[i + 1]) {
            spelled[i] = b'y';
        }
    }
    spelled.dedup();

    // 4. Vowels.
    let n = spelled.len();
    let mut vowel = vec![false; n];
    for i in 0..n {
        let next_is_vowel = spelled.get(i + 1).is_some_and(|&b| is_plain_vowel(b));
        vowel[i] = match spelled[i] {
            b if is_plain_vowel(b) => true,
            b'y' => !next_is_vowel,
            b'w' => i > 0 && vowel[i - 1] && !next_is_vowel,
            _ => false,
        };
    }
    let mut out = String::with_capacity(n);
    let mut i = 0;
    while i < n {
        if !vowel[i] {
            out.push(spelled[i] as char);
            i += 1;
            continue;
        }
        let start = i;
        while i < n && vowel[i] {
            i += 1;
        }
        let run = &spelled[start..i];
        let diphthong = run.len() >= 2
            && matches!(run[0], b'a' | b'e')
            && (run[1..].iter().any(|&b| b == b'i' || b == b'y') || run[..2] == *b"ae");
        if start == 0 {
            out.push(match run[0] {
                b'a' => 'a',
                b'o' | b'u' | b'w' => 'o',
                _ => 'e',
            });
            if diphthong {
                out.push_str("y.");
            }
        } else if diphthong {
            out.push_str("y.");
        } else if spelled.get(i) != Some(&b'y') {
            out.push('.');
        }
    }
    out
}

/// Whether a skeleton says enough to be trusted as evidence of the same name: at least two
/// consonants. The class letters of an initial vowel (`a`, `e`, `o`) and the vowel marks do not
/// count, so Ali / Ala / Aly (`al.`) are left to Jaro-Winkler.
fn skeleton_is_informative(skeleton: &str) -> bool {
    skeleton
        .chars()
        .filter(|c| !matches!(c, '.' | 'a' | 'e' | 'o'))
        .count()
        >= 2
}

pub(super) fn is_latin_word(word: &str) -> bool {
    !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase())
}

/// Whether two normalized Latin words are spellings of one name by their skeletons.
pub(super) fn same_skeleton(a: &str, b: &str) -> bool {
    if !is_latin_word(a) || !is_latin_word(b) {
        return false;
    }
    let skeleton = latin_skeleton(a);
    skeleton_is_informative(&skeleton) && skeleton == latin_skeleton(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::normalize;
    use proptest::prelude::*;

    // --- latin_skeleton -------------------------------------------------------------------

    fn all_same_skeleton(names: &[&str]) {
        let first = latin_skeleton(names[0]);
        for name in names {
            assert_eq!(latin_skeleton(name), first, "{name} vs {}", names[0]);
        }
    }

    #[test]
    fn spellings_of_one_name_share_a_skeleton() {
        all_same_skeleton(&[
            "Mohammad", "Muhammad", "Mohammed", "Muhammed", "Mohamad", "Mohamed",
        ]);
        all_same_skeleton(&["Ahmadi", "Ahmady"]);
        all_same_skeleton(&["Ahmad", "Ahmed"]);
        all_same_skeleton(&[
            "Hussein", "Husain", "Hussain", "Husayn", "Hossein", "Hussien",
        ]);
        all_same_skeleton(&["Yousef", "Yusuf", "Yousuf", "Yosef", "Youssef"]);
        all_same_skeleton(&["Zainab", "Zaynab", "Zeinab"]);
        all_same_skeleton(&["Hassan", "Hasan"]);
        all_same_skeleton(&["Ismail", "Esmail", "Ismael", "Esmaeel"]);
        all_same_skeleton(&["Ibrahim", "Ebrahim"]);
        all_same_skeleton(&["Omar", "Umar"]);
        all_same_skeleton(&["Fatima", "Fatimah", "Fatemah", "Fatema"]);
        all_same_skeleton(&["Abdullah", "Abdulla"]);
        all_same_skeleton(&["Qasim", "Kasim", "Qassem"]);
        all_same_skeleton(&["Kadhim", "Kazim", "Kazem"]);
        all_same_skeleton(&["Wahid", "Vahid"]);
        all_same_skeleton(&["Tawfiq", "Toufiq", "Tofiq"]);
        all_same_skeleton(&["Karim", "Kareem"]);
        all_same_skeleton(&["Aisha", "Ayesha", "Aysha"]);
        all_same_skeleton(&["Abdulrahman", "Abd al-Rahman", "Abdalrahman"]);
        all_same_skeleton(&["Ziad", "Ziyad", "Ziyyad"]);
        all_same_skeleton(&["Mariam", "Maryam"]);
        all_same_skeleton(&["Zakaria", "Zakariya", "Zakariyya"]);
        all_same_skeleton(&["Ilias", "Ilyas"]);
        all_same_skeleton(&["Fayaz", "Fiaz"]);
        all_same_skeleton(&["Naeem", "Naim", "Nayeem"]);
    }

    #[test]
    fn skeletons_look_like_this() {
        assert_eq!(latin_skeleton("Mohammad"), "m.h.m.d");
        assert_eq!(latin_skeleton("Hussein"), "h.sy.n");
        assert_eq!(latin_skeleton("Zainab"), "zy.n.b");
        assert_eq!(latin_skeleton("Aisha"), "ay.sh.");
        assert_eq!(latin_skeleton("Yusuf"), "y.s.f");
        assert_eq!(latin_skeleton("Ahmadi"), "ahm.d.");
        assert_eq!(latin_skeleton("Omar"), "om.r");
        assert_eq!(latin_skeleton("Philip"), "f.l.p");
    }

    #[test]
    fn different_names_keep_different_skeletons() {
        let pairs = [
            ("Mohammad", "Mahmoud"),
            ("Hassan", "Hussein"),
            ("Karim", "Kamal"),
            ("Niaz", "Nawaz"),
            ("Amir", "Omar"),
            ("Ali", "Omar"),
            ("Zainab", "Zahra"),
        ];
        for (a, b) in pairs {
            assert_ne!(latin_skeleton(a), latin_skeleton(b), "{a} vs {b}");
        }
    }

    #[test]
    fn non_latin_words_are_returned_compacted() {
        assert_eq!(latin_skeleton("مُحَمَّد"), "محمد");
        assert_eq!(latin_skeleton("عبد الله"), "عبدالله");
        assert_eq!(latin_skeleton("Ali 2"), "ali2");
        assert_eq!(latin_skeleton(" - "), "");
    }

    proptest! {
        #[test]
        fn a_skeleton_is_stable_under_normalizing(s in "[A-Za-zéöı' -]{0,16}") {
            prop_assert_eq!(latin_skeleton(&normalize(&s)), latin_skeleton(&s));
        }
    }
}
