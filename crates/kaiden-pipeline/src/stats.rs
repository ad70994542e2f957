//! Game stats (Tachi's `framework/ugpt-stats`): profile ratings from PBs, derived
//! classes from ratings, provided classes from the source, and class deltas.

use std::collections::BTreeMap;

use kaiden_core::Gpt;
use kaiden_core::documents::ClassDelta;
use kaiden_core::format::ProvidedClass;
use kaiden_core::host::GameStats;
use kaiden_games::config::{ClassKind, GptConfig};

/// The classes of one GPT after an import: provided classes overridden by derived
/// ones on the same set (Tachi's deepmerge order).
#[must_use]
pub fn merged_classes(
    gpt: Gpt,
    ratings: &BTreeMap<String, Option<f64>>,
    provided: &[ProvidedClass],
) -> BTreeMap<String, Option<String>> {
    let conf = GptConfig::of(gpt);
    let mut out: BTreeMap<String, Option<String>> = BTreeMap::new();
    for p in provided.iter().filter(|p| p.gpt == gpt) {
        out.insert(p.set.clone(), Some(p.class_id.clone()));
    }
    for class in conf.classes {
        if let Some(d) = class.derivation {
            let rating = ratings.get(d.from_profile_rating).copied().flatten();
            out.insert(
                class.name.to_owned(),
                d.class_for(rating).map(str::to_owned),
            );
        }
    }
    out
}

/// Tachi's `ProcessClassDeltas`: which class values change, and how.
///
/// A new value is reported when there was none before, when it is higher, or when
/// the class is derived (derived classes may go down and report even when equal);
/// a provided class that is not higher is ignored. Null values are skipped.
#[must_use]
pub fn class_deltas(
    gpt: Gpt,
    old: Option<&GameStats>,
    new: &BTreeMap<String, Option<String>>,
) -> Vec<ClassDelta> {
    let conf = GptConfig::of(gpt);
    let mut deltas = Vec::new();
    for (set, value) in new {
        let Some(value) = value else { continue };
        let Some(class) = conf.class(set) else {
            // Tachi logs and skips a set its config does not know.
            continue;
        };
        let old_value = old.and_then(|s| s.classes.get(set));
        let greater = match old_value {
            None => None,
            Some(o) => match (class.index_of(value), class.index_of(o)) {
                (None, _) => None,
                (Some(_), None) => Some(true),
                (Some(n), Some(o)) => Some(n > o),
            },
        };
        let old_for_delta = match greater {
            None => None,
            Some(_) => old_value.cloned(),
        };
        let report = match greater {
            None | Some(true) => true,
            Some(false) => class.kind == ClassKind::Derived,
        };
        if report {
            deltas.push(ClassDelta {
                game: gpt.game(),
                set: set.clone(),
                playtype: gpt.playtype(),
                old: old_for_delta,
                new: value.clone(),
            });
        }
    }
    deltas
}

/// The stats to store: ratings replaced; a class set written only when it has a
/// delta (so a derived class whose rating became null keeps its stored value).
#[must_use]
pub fn next_stats(
    old: Option<&GameStats>,
    ratings: BTreeMap<String, Option<f64>>,
    deltas: &[ClassDelta],
) -> GameStats {
    let mut classes = old.map(|o| o.classes.clone()).unwrap_or_default();
    for d in deltas {
        classes.insert(d.set.clone(), d.new.clone());
    }
    GameStats { ratings, classes }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(set: &str, v: &str) -> GameStats {
        GameStats {
            ratings: BTreeMap::new(),
            classes: [(set.to_owned(), v.to_owned())].into(),
        }
    }

    fn dan(id: &str) -> BTreeMap<String, Option<String>> {
        [("dan".to_owned(), Some(id.to_owned()))].into()
    }

    #[test]
    fn provided_classes_never_go_down() {
        let g = Gpt::IidxSp;
        let d = class_deltas(g, None, &dan("DAN_10"));
        assert_eq!((d[0].old.clone(), d[0].new.as_str()), (None, "DAN_10"));
        let old = stats("dan", "DAN_10");
        let d = class_deltas(g, Some(&old), &dan("KAIDEN"));
        assert_eq!(
            (d[0].old.as_deref(), d[0].new.as_str()),
            (Some("DAN_10"), "KAIDEN")
        );
        assert!(class_deltas(g, Some(&old), &dan("DAN_9")).is_empty());
        assert!(class_deltas(g, Some(&old), &dan("DAN_10")).is_empty());
    }

    #[test]
    fn derived_classes_report_even_downwards() {
        let g = Gpt::SdvxSingle;
        let old = stats("vfClass", "IMPERIAL_I");
        let new = [("vfClass".to_owned(), Some("SIENNA_I".to_owned()))].into();
        let d = class_deltas(g, Some(&old), &new);
        assert_eq!(d[0].old.as_deref(), Some("IMPERIAL_I"));
        assert_eq!(d[0].new, "SIENNA_I");
    }
}
