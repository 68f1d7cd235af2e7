//! Names as people type them, for search and duplicate detection: Arabic script (Dari, Pashto,
//! Arabic, some Kurdish) and Latin transliterations, each with many spellings of one name.
//! Matching never compares what was typed; it compares canonical forms ([`normalize`],
//! [`compact`], [`tokens`]), a loose key for Latin spellings ([`latin_skeleton`]) and a score for
//! whole names ([`similarity`], [`similar`]). Tazkira and passport numbers and phone numbers get
//! canonical forms too, since they are typed in three digit styles with any separators.
//!
//! Nothing here transliterates between scripts: "Mohammad" and "محمد" are not similar. A record
//! that should be found both ways needs the name in both scripts.

use crate::digits::to_western;
use crate::Country;

// ---------------------------------------------------------------------------------------------
// Canonical text
// ---------------------------------------------------------------------------------------------

/// The letter(s) a character is read as before matching, for characters that are spelling
/// variants of another. `""` means the character is dropped without splitting the word.
/// Called on lowercase characters; every output is a fixed point (it maps to itself), which is
/// what makes [`normalize`] idempotent.
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        // --- Arabic script -----------------------------------------------------------------
        // Yeh: Arabic ي and alef maksura ى are what an Arabic keyboard gives for Persian ی;
        // Pashto writes ې, ۍ and ي as distinct letters, but Dari and Arabic keyboards cannot,
        // so one person's name arrives with any of them. ئ is yeh with a hamza seat, usually
        // dropped in Dari spelling (رئیس / رییس). ێ is Kurdish (Sorani) ē, typed as ی on
        // Arabic and Persian keyboards.
        '\u{064A}' | '\u{0649}' | '\u{06D0}' | '\u{06CD}' | '\u{0626}' | '\u{06CE}' => "\u{06CC}",
        // Kaf: Arabic ك and Persian ک (keheh) are one letter in two keyboard layouts.
        '\u{0643}' => "\u{06A9}",
        // Gaf: Pashto ګ (ring below) and Persian گ are the same sound; which one is typed
        // depends on the keyboard.
        '\u{06AB}' => "\u{06AF}",
        // Heh: teh marbuta ة is written ه in Dari and often in Arabic (فاطمة / فاطمه); ۀ is
        // heh with the ezafe hamza; ہ and ۂ (heh goal) and ۃ come from Urdu keyboards; ە is
        // the Kurdish vowel e and ھ the Kurdish h, both typed as ه on Arabic keyboards.
        '\u{0629}' | '\u{06C0}' | '\u{06C1}' | '\u{06C2}' | '\u{06C3}' | '\u{06D5}'
        | '\u{06BE}' => "\u{0647}",
        // Alef: the hamza and madda forms (أ إ آ), wasla (ٱ) and the rare wavy-hamza and
        // high-hamza alefs are all dropped to a bare alef by most writers some of the time.
        '\u{0623}' | '\u{0625}' | '\u{0622}' | '\u{0671}' | '\u{0672}' | '\u{0673}'
        | '\u{0675}' => "\u{0627}",
        // Waw: ؤ is waw with a hamza seat (dropped like the other seats); ۆ is Kurdish o and
        // ٶ the high-hamza waw, both typed as و on Arabic keyboards.
        '\u{0624}' | '\u{06C6}' | '\u{0676}' => "\u{0648}",
        // Hamza on the line: the hamza on a seat is dropped above (أ → ا, ؤ → و, ئ → ی), so
        // a bare hamza is dropped too (علاءالدین / علاالدین). Likewise the high hamza.
        '\u{0621}' | '\u{0674}' => "",
        // Pashto retroflex letters, where a keyboard without them leaves exactly one choice:
        // ټ → ت, ډ → د, ړ → ر, ڼ → ن. (ښ ږ ځ څ are NOT folded: people fall back to either
        // of two letters, ش/خ, ژ/گ, ز/ج, س/چ, so any choice would be wrong half the time.)
        '\u{067C}' => "\u{062A}",
        '\u{0689}' => "\u{062F}",
        '\u{0693}' => "\u{0631}",
        '\u{06BC}' => "\u{0646}",
        // Kurdish letters with a small v, typed as the plain letter on Arabic keyboards:
        // ڕ (trilled r) → ر, ڵ (velar l) → ل. (Kurdish ڤ is not folded: ف or و.)
        '\u{0695}' => "\u{0631}",
        '\u{06B5}' => "\u{0644}",
        // The ligature ﷲ is one key on some keyboards and ends hundreds of names (عبدﷲ).
        '\u{FDF2}' => "\u{0627}\u{0644}\u{0644}\u{0647}",

        // --- Latin: accents off, ligatures spelt out ----------------------------------------
        // Transliterations of one name differ in accents (Hüseyin, Şükrü, ʿAlī, Muḥammad);
        // the dotted-below letters are scholarly Arabic transliteration.
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'ǎ' | 'ạ' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ḍ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' | 'ẹ' | 'ẽ' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' | 'ǧ' => "g",
        'ĥ' | 'ħ' | 'ḥ' | 'ẖ' => "h",
        // ı is the Turkish dotless i.
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' | 'ǐ' | 'ị' => "i",
        'ĵ' | 'ǰ' => "j",
        'ķ' | 'ḳ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' | 'ǒ' | 'ọ' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' | 'ṣ' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' | 'ț' | 'ṭ' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' | 'ǔ' | 'ư' | 'ụ' => {
            "u"
        }
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' | 'ẓ' => "z",
        _ => return None,
    })
}

/// Invisible characters pasted in with text copied from right-to-left documents: zero-width
/// space, non-joiner and joiner; LRM, RLM and the Arabic letter mark; bidi embeddings and
/// isolates; word joiner, BOM, soft hyphen.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}'
            | '\u{061C}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{00AD}'
    )
}

/// Characters that are dropped without splitting a word: they change how a name looks, never
/// which name it is.
fn is_ignorable(c: char) -> bool {
    is_invisible(c)
        || matches!(
            c,
            // Arabic harakat, shadda, sukun, superscript alef, Quranic marks and honorifics.
            '\u{064B}'..='\u{065F}'
                | '\u{0670}'
                | '\u{06D6}'..='\u{06ED}'
                | '\u{0610}'..='\u{061A}'
                | '\u{08D3}'..='\u{08FF}'
                // Tatweel only stretches a word.
                | '\u{0640}'
                // Combining accents (a decomposed é); precomposed ones are folded instead.
                | '\u{0300}'..='\u{036F}'
                // Apostrophes and the half rings: inside a Latin name they stand for ayn or
                // hamza (Ja'far, Mas'ud, Saʿid), and people as often leave them out (Jafar), so
                // they join rather than split: a search for "jafar" must find "Ja'far".
                | '\''
                | '\u{2019}'
                | '\u{2018}'
                | '\u{02BB}'
                | '\u{02BC}'
                | '\u{02BD}'
                | '\u{02BE}'
                | '\u{02BF}'
                | '`'
                | '\u{00B4}'
                | '\u{2032}'
        )
}

/// The canonical form of a name for matching and search: one spelling per letter (see the
/// folding table in the source), no diacritics or invisible characters, Western digits,
/// lowercase unaccented Latin, and every run of spaces and punctuation (hyphens, dots, commas,
/// ، ؛) a single space, trimmed. Apostrophes are dropped without a space (`Ja'far` → `jafar`).
///
/// Idempotent: `normalize(&normalize(s)) == normalize(s)`.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    // Writes a piece of a word, after the one space that stands for any run of separators
    // since the previous word (none before the first word, so the result is trimmed).
    let push = |out: &mut String, pending_space: &mut bool, text: &str| {
        if *pending_space && !out.is_empty() {
            out.push(' ');
        }
        *pending_space = false;
        out.push_str(text);
    };
    for c in to_western(s).chars().flat_map(char::to_lowercase) {
        if is_ignorable(c) {
            continue;
        }
        match fold(c) {
            Some("") => {}
            Some(letters) => push(&mut out, &mut pending_space, letters),
            None if c.is_alphanumeric() => {
                let mut buf = [0u8; 4];
                push(&mut out, &mut pending_space, c.encode_utf8(&mut buf));
            }
            None => pending_space = true,
        }
    }
    out
}

/// [`normalize`] without spaces, so that words written apart or together match: the attached
/// and detached article ("عبد الله" / "عبدالله", "Al Jubouri" / "Al-Jubouri" / "Aljubouri")
/// and compounds ("Gul Bibi" / "Gulbibi").
pub fn compact(s: &str) -> String {
    normalize(s).replace(' ', "")
}

/// The words of [`normalize`]`(s)`, without repeats, in order. These are what a search index
/// stores; a search term matches a token by prefix.
pub fn tokens(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in normalize(s).split(' ').filter(|w| !w.is_empty()) {
        if !out.iter().any(|t| t == word) {
            out.push(word.to_string());
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Latin skeleton
// ---------------------------------------------------------------------------------------------

fn is_plain_vowel(b: u8) -> bool {
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

fn is_latin_word(word: &str) -> bool {
    !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase())
}

/// Whether two normalized Latin words are spellings of one name by their skeletons.
fn same_skeleton(a: &str, b: &str) -> bool {
    if !is_latin_word(a) || !is_latin_word(b) {
        return false;
    }
    let skeleton = latin_skeleton(a);
    skeleton_is_informative(&skeleton) && skeleton == latin_skeleton(b)
}

// ---------------------------------------------------------------------------------------------
// Similarity of whole names
// ---------------------------------------------------------------------------------------------

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
fn name_words(normalized: &str) -> Vec<String> {
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

/// How alike two words are: 1.0 for the same word (up to a final -y / -i) or the same
/// informative Latin skeleton, otherwise Jaro-Winkler.
fn word_similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (final_y_as_i(a), final_y_as_i(b));
    if a == b || same_skeleton(&a, &b) {
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

// ---------------------------------------------------------------------------------------------
// Document numbers
// ---------------------------------------------------------------------------------------------

/// The canonical form of a tazkira, passport or other document number: uppercase, Western
/// digits, without the separators people put in (spaces, dashes, slashes, dots) and without
/// invisible characters pasted in from right-to-left text. "1399-0101-12345",
/// "۱۳۹۹ ۰۱۰۱ ۱۲۳۴۵" and "1399/0101/12345" are all "1399010112345".
pub fn normalize_document_number(s: &str) -> String {
    to_western(s)
        .chars()
        .filter(|&c| {
            !(c.is_whitespace()
                || matches!(
                    c,
                    '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '/' | '\\' | '.' | '\u{06D4}'
                )
                || is_invisible(c))
        })
        .flat_map(char::to_uppercase)
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Phone numbers
// ---------------------------------------------------------------------------------------------

/// The digits of a phone number as Western digits, everything else dropped.
pub fn phone_digits(s: &str) -> String {
    to_western(s).chars().filter(char::is_ascii_digit).collect()
}

/// The country calling code of a country, without '+'.
fn calling_code(country: Country) -> &'static str {
    match country {
        Country::AF => "93",
        Country::IQ => "964",
    }
}

/// A phone number in international form without '+' (Afghan "0701234567", "+93 70 123 4567"
/// and "0093701234567" are all "93701234567"), reading numbers without an international prefix
/// as numbers of `country`. None unless the result has 8 to 15 digits (E.164) and a country
/// code (which never starts with 0).
///
/// International form is recognised by a '+' before the first digit (or, as right-to-left
/// typing sometimes leaves it, after the last), by the prefix 00, or by starting with the
/// country's own code and being long enough to hold a number after it (Afghan numbers have 9
/// digits after the trunk 0, Iraqi 8 to 10, and no Afghan or Iraqi national number starts
/// with 9). Numbers from elsewhere (an Iranian "+98 912 …") are kept as they are. Limits: a
/// foreign number in its own national form ("0912 …" from Iran) is read as a number of
/// `country`, and lengths are not checked against the country's numbering plan.
pub fn international_phone(s: &str, country: Country) -> Option<String> {
    let text = to_western(s);
    let is_plus = |c: char| c == '+' || c == '\u{FF0B}';
    let before_first_digit = text.split(|c: char| c.is_ascii_digit()).next();
    let after_last_digit = text.rsplit(|c: char| c.is_ascii_digit()).next();
    let has_plus = text.contains(|c: char| c.is_ascii_digit())
        && (before_first_digit.is_some_and(|t| t.contains(is_plus))
            || after_last_digit.is_some_and(|t| t.contains(is_plus)));
    let digits = phone_digits(&text);
    let code = calling_code(country);
    let number = if has_plus {
        digits
    } else if let Some(rest) = digits.strip_prefix("00") {
        rest.to_string()
    } else if digits.starts_with(code) && digits.len() >= code.len() + 8 {
        digits
    } else if let Some(rest) = digits.strip_prefix('0') {
        format!("{code}{rest}")
    } else {
        format!("{code}{digits}")
    };
    let plausible = (8..=15).contains(&number.len()) && !number.starts_with('0');
    plausible.then_some(number)
}

/// The key a phone number is searched by: the last nine digits, which hold the subscriber
/// number without country code or trunk 0 in both countries, so "0701234567" finds
/// "+93 70 123 4567". Fewer digits are kept whole.
pub fn phone_search_key(s: &str) -> String {
    let digits = phone_digits(s);
    digits[digits.len().saturating_sub(9)..].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // --- normalize ------------------------------------------------------------------------

    #[test]
    fn every_yeh_becomes_the_persian_yeh() {
        for yeh in ['ي', 'ى', 'ی', 'ې', 'ۍ', 'ئ', 'ێ'] {
            assert_eq!(normalize(&format!("عل{yeh}")), "علی", "{yeh:?}");
        }
        assert_eq!(normalize("رئيس"), normalize("رییس"));
    }

    #[test]
    fn arabic_kaf_becomes_keheh_and_pashto_gaf_the_persian_gaf() {
        assert_eq!(normalize("كريم"), "کریم");
        assert_eq!(normalize("ګل"), "گل");
    }

    #[test]
    fn teh_marbuta_and_heh_forms_become_heh() {
        for heh in ['ة', 'ۀ', 'ہ', 'ۂ', 'ۃ', 'ە', 'ه'] {
            assert_eq!(normalize(&format!("فاطم{heh}")), "فاطمه", "{heh:?}");
        }
        assert_eq!(normalize("ھاوار"), "هاوار");
    }

    #[test]
    fn alef_forms_become_bare_alef() {
        for alef in ['أ', 'إ', 'آ', 'ٱ', 'ٲ', 'ٳ', 'ٵ', 'ا'] {
            assert_eq!(normalize(&format!("{alef}حمد")), "احمد", "{alef:?}");
        }
    }

    #[test]
    fn waw_with_hamza_becomes_waw_and_a_bare_hamza_is_dropped() {
        assert_eq!(normalize("مؤمن"), "مومن");
        assert_eq!(normalize("ۆمەر"), "ومهر");
        assert_eq!(normalize("علاءالدين"), "علاالدین");
    }

    #[test]
    fn pashto_and_kurdish_letters_fold_only_where_the_fallback_is_certain() {
        assert_eq!(normalize("ټ ډ ړ ڼ"), "ت د ر ن");
        assert_eq!(normalize("ڕ ڵ"), "ر ل");
        // ښ ږ ځ څ and ڤ have two possible fallbacks and stay as typed.
        assert_eq!(normalize("ښ ږ ځ څ ڤ"), "ښ ږ ځ څ ڤ");
    }

    #[test]
    fn the_allah_ligature_is_spelt_out() {
        assert_eq!(normalize("عبدﷲ"), "عبدالله");
    }

    #[test]
    fn diacritics_tatweel_and_invisible_marks_are_removed() {
        assert_eq!(normalize("مُحَمَّد"), "محمد");
        assert_eq!(normalize("مـــحمد"), "محمد");
        assert_eq!(normalize("عبدالرَّحْمٰن"), "عبدالرحمن");
        assert_eq!(normalize("\u{200F}محمد\u{200C}علی\u{200E}"), "محمدعلی");
        assert_eq!(normalize("\u{061C}\u{FEFF}ali\u{200D}"), "ali");
    }

    #[test]
    fn persian_and_arabic_digits_become_western() {
        assert_eq!(normalize("۱۲۳ ٤٥٦"), "123 456");
    }

    #[test]
    fn latin_is_lowercased_and_loses_its_accents() {
        assert_eq!(
            normalize("ÁÀÂÄÃÅĀ éèêëē íìîïī óòôöõō úùûüū"),
            "aaaaaaa eeeee iiiii oooooo uuuuu"
        );
        assert_eq!(normalize("Çñşšğı"), "cnssgi");
        assert_eq!(normalize("Muḥammad ʿAlī"), "muhammad ali");
        assert_eq!(normalize("Hüseyin Şükrü"), "huseyin sukru");
        assert_eq!(normalize("Straße Ærø"), "strasse aero");
        // A decomposed accent (e + combining acute) reads like the precomposed one.
        assert_eq!(normalize("Jose\u{301}"), normalize("José"));
        assert_eq!(normalize("İbrahim"), "ibrahim");
    }

    #[test]
    fn punctuation_splits_words_and_spaces_collapse() {
        assert_eq!(normalize("  Al-Jubouri,  Ali. "), "al jubouri ali");
        assert_eq!(normalize("محمد، احمدی؛ کریم"), "محمد احمدی کریم");
        assert_eq!(normalize("Gul\t\u{A0}bibi"), "gul bibi");
        assert_eq!(normalize("(Ali) / Omar_Saleh"), "ali omar saleh");
        assert_eq!(normalize(" - . "), "");
    }

    #[test]
    fn apostrophes_join_rather_than_split() {
        for name in ["Ja'far", "Ja’far", "Jaʻfar", "Jaʿfar", "Jafar"] {
            assert_eq!(normalize(name), "jafar", "{name:?}");
        }
    }

    #[test]
    fn normalizing_twice_changes_nothing() {
        for s in [
            "مُحَمَّد أحمدي",
            "Al-Jubouri  ʿAlī",
            "فاطمة ۱۴۰۵",
            "İSTANBUL ẞ",
            "عبدﷲ",
        ] {
            let once = normalize(s);
            assert_eq!(normalize(&once), once, "{s:?}");
        }
    }

    // --- compact and tokens ---------------------------------------------------------------

    #[test]
    fn compact_joins_words_written_apart() {
        assert_eq!(compact("عبد الله"), compact("عبدالله"));
        assert_eq!(compact("Abd al Rahman"), "abdalrahman");
        assert_eq!(compact("Al-Jubouri"), compact("Aljubouri"));
        assert_eq!(compact("Al Jubouri"), "aljubouri");
    }

    #[test]
    fn tokens_are_the_distinct_words_in_order() {
        assert_eq!(tokens("Mohammad  Ali Mohammad"), vec!["mohammad", "ali"]);
        assert_eq!(tokens("محمد، أحمدي"), vec!["محمد", "احمدی"]);
        assert!(tokens(" -- ").is_empty());
    }

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
        ("Mohammad", "محمد"),
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
        // Scripts are not transliterated.
        assert_eq!(similarity("Mohammad", "محمد"), 0.0);
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

    // --- document numbers -----------------------------------------------------------------

    #[test]
    fn document_numbers_lose_separators_and_take_western_digits() {
        assert_eq!(
            normalize_document_number("1399-0101-12345"),
            "1399010112345"
        );
        assert_eq!(
            normalize_document_number("۱۳۹۹ ۰۱۰۱ ۱۲۳۴۵"),
            "1399010112345"
        );
        assert_eq!(
            normalize_document_number("١٣٩٩/٠١٠١/١٢٣٤٥"),
            "1399010112345"
        );
        assert_eq!(normalize_document_number("p 0123.456"), "P0123456");
        assert_eq!(normalize_document_number("\u{200F}a12–34\u{200E}"), "A1234");
    }

    // --- phones ---------------------------------------------------------------------------

    #[test]
    fn phone_digits_keeps_only_western_digits() {
        assert_eq!(phone_digits("+93 (70) 123-4567"), "93701234567");
        assert_eq!(phone_digits("۰۷۰۱۲۳۴۵۶۷"), "0701234567");
        assert_eq!(phone_digits("٠٧٧٠١٢٣٤٥٦٧"), "07701234567");
        assert_eq!(phone_digits("none"), "");
    }

    #[test]
    fn afghan_numbers_in_every_form_become_one_international_number() {
        for s in [
            "+93 70 123 4567",
            "0093701234567",
            "0701234567",
            "070 123 4567",
            "701234567",
            "93701234567",
            "۰۷۰۱۲۳۴۵۶۷",
            "۹۳ ۷۰ ۱۲۳ ۴۵۶۷+",
        ] {
            assert_eq!(
                international_phone(s, Country::AF).as_deref(),
                Some("93701234567"),
                "{s:?}"
            );
        }
    }

    #[test]
    fn iraqi_numbers_in_every_form_become_one_international_number() {
        for s in [
            "07701234567",
            "+964 770 123 4567",
            "00964 770 123 4567",
            "9647701234567",
        ] {
            assert_eq!(
                international_phone(s, Country::IQ).as_deref(),
                Some("9647701234567"),
                "{s:?}"
            );
        }
        // Baghdad landline: trunk 0, area code 1, seven digits.
        assert_eq!(
            international_phone("01 234 5678", Country::IQ).as_deref(),
            Some("96412345678")
        );
    }

    #[test]
    fn foreign_international_numbers_are_kept() {
        assert_eq!(
            international_phone("+98 912 345 6789", Country::AF).as_deref(),
            Some("989123456789")
        );
        assert_eq!(
            international_phone("0098 912 345 6789", Country::IQ).as_deref(),
            Some("989123456789")
        );
    }

    #[test]
    fn implausible_phone_numbers_are_none() {
        assert_eq!(international_phone("", Country::AF), None);
        assert_eq!(international_phone("+93 70", Country::AF), None);
        assert_eq!(international_phone("+1234567890123456", Country::AF), None);
        assert_eq!(international_phone("000 123 456 789", Country::AF), None);
        assert_eq!(international_phone("123", Country::IQ), None);
    }

    #[test]
    fn the_search_key_is_the_last_nine_digits() {
        assert_eq!(phone_search_key("+93 70 123 4567"), "701234567");
        assert_eq!(phone_search_key("0701234567"), "701234567");
        assert_eq!(phone_search_key("۰۷۷۰۱۲۳۴۵۶۷"), "701234567");
        assert_eq!(phone_search_key("12-34"), "1234");
        assert_eq!(phone_search_key(""), "");
    }

    // --- properties -----------------------------------------------------------------------

    /// Letters, variant letters, diacritics, invisible marks, digits in three styles, spaces
    /// and punctuation: what names are made of, and what goes wrong in them.
    const NAME_CHARS: &[char] = &[
        'a', 'b', 'd', 'e', 'h', 'i', 'k', 'l', 'm', 'n', 'o', 'r', 's', 'u', 'y', 'w', 'A', 'M',
        'Z', 'É', 'ö', 'ı', 'ß', 'İ', 'ḥ', 'ا', 'أ', 'إ', 'آ', 'ٱ', 'ب', 'ت', 'ح', 'د', 'ر', 'س',
        'ع', 'ل', 'م', 'ن', 'و', 'ؤ', 'ء', 'ي', 'ى', 'ی', 'ې', 'ۍ', 'ئ', 'ك', 'ک', 'ګ', 'گ', 'ة',
        'ۀ', 'ہ', 'ه', 'ټ', 'ښ', 'ﷲ', '\u{064B}', '\u{064E}', '\u{064F}', '\u{0650}', '\u{0651}',
        '\u{0652}', '\u{0670}', '\u{06E1}', '\u{0640}', '\u{200C}', '\u{200D}', '\u{200E}',
        '\u{200F}', '\u{061C}', '\u{0301}', '0', '7', '۱', '۹', '٢', '٥', ' ', ' ', ' ', '\t', '-',
        '\'', '’', 'ʻ', '.', ',', '،', '(', '/',
    ];

    fn name_text() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(NAME_CHARS), 0..24)
            .prop_map(|chars| chars.into_iter().collect())
    }

    const IGNORABLE_ARABIC: &[char] = &['\u{064E}', '\u{0651}', '\u{0640}', '\u{200C}', '\u{200F}'];

    proptest! {
        #[test]
        fn normalize_is_idempotent(s in name_text()) {
            let once = normalize(&s);
            prop_assert_eq!(normalize(&once), once);
        }

        #[test]
        fn normalize_is_idempotent_on_any_text(s in any::<String>()) {
            let once = normalize(&s);
            prop_assert_eq!(normalize(&once), once);
        }

        #[test]
        fn compact_of_normalized_is_compact(s in name_text()) {
            prop_assert_eq!(compact(&normalize(&s)), compact(&s));
        }

        #[test]
        fn tokens_use_only_characters_of_the_normalized_name(s in name_text()) {
            let normalized = normalize(&s);
            let joined = tokens(&s).join(" ");
            prop_assert!(joined.chars().all(|c| normalized.contains(c)), "{:?} {:?}", joined, normalized);
        }

        #[test]
        fn harakat_and_invisible_marks_change_nothing(
            s in name_text(),
            marks in prop::collection::vec(prop::sample::select(IGNORABLE_ARABIC), 24),
        ) {
            let marked: String = s.chars().zip(&marks).flat_map(|(c, &m)| [c, m]).collect();
            prop_assert_eq!(normalize(&marked), normalize(&s));
        }

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

        #[test]
        fn a_skeleton_is_stable_under_normalizing(s in "[A-Za-zéöı' -]{0,16}") {
            prop_assert_eq!(latin_skeleton(&normalize(&s)), latin_skeleton(&s));
        }

        #[test]
        fn document_numbers_normalize_once(s in "[0-9۰-۹٠-٩a-zA-Z /.-]{0,20}") {
            let once = normalize_document_number(&s);
            prop_assert_eq!(normalize_document_number(&once), once.clone());
            prop_assert!(once.chars().all(|c| c.is_ascii_alphanumeric()), "{:?}", once);
        }

        #[test]
        fn national_and_international_afghan_numbers_agree(n in "7[0-9]{8}") {
            let expected = Some(format!("93{n}"));
            prop_assert_eq!(international_phone(&format!("0{n}"), Country::AF), expected.clone());
            prop_assert_eq!(international_phone(&format!("+93 {n}"), Country::AF), expected.clone());
            prop_assert_eq!(international_phone(&format!("0093{n}"), Country::AF), expected);
        }

        #[test]
        fn international_numbers_are_plausible_and_searchable(s in "[+]?[0-9 ۰-۹-]{0,20}") {
            for country in Country::ALL {
                if let Some(number) = international_phone(&s, country) {
                    prop_assert!((8..=15).contains(&number.len()));
                    prop_assert!(number.bytes().all(|b| b.is_ascii_digit()));
                    // Unless the key begins with a trunk or international-prefix 0, which
                    // the international form drops.
                    let key = phone_search_key(&s);
                    prop_assert!(key.starts_with('0') || number.ends_with(&key), "{} {}", number, key);
                }
            }
            prop_assert!(phone_digits(&s).ends_with(&phone_search_key(&s)));
        }
    }
}
