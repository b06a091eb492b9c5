//! "Did you mean ...?": the known word closest to a misspelt one, for unknown keys in routine
//! files and unknown routine names on the command line.

/// The known key (or routine name) closest to a misspelt one, when close enough to be a typo.
pub fn suggestion<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    let key = key.to_ascii_lowercase();
    known
        .iter()
        .map(|k| (edit_distance(&key, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4) && *d < k.len())
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Levenshtein distance over characters; keys are short, so the quadratic table is fine.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != *cb)).min(row[j] + 1).min(above + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_get_the_closest_word_and_far_misses_get_none() {
        let keys = ["name", "duration", "reps", "tempo", "sets", "set_rest"];
        assert_eq!(suggestion("duraton", &keys), Some("duration"));
        assert_eq!(suggestion("Reps", &keys), Some("reps"));
        assert_eq!(suggestion("setrest", &keys), Some("set_rest"));
        assert_eq!(suggestion("colour", &keys), None);
        assert_eq!(suggestion("post-rid", &["bedtime", "post-ride"]), Some("post-ride"));
    }
}
