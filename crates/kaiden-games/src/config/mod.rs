//! Static game+playtype (GPT) configuration: the facts Tachi keeps in
//! `common/src/config/game-support/*.ts`, encoded as Rust constants.
//!
//! Every table here is plain data (`&'static` slices), so looking up a metric or an
//! enum index never allocates. [`GptConfig::of`] returns the config of a [`Gpt`].
//! The conformance test `tests/conformance_configs.rs` compares every field against
//! Tachi's evaluated configs (`game-configs.json`) when the corpus is present.

pub(crate) mod pb;

pub use pb::{MergeDirection, MergeField, MergeKey, PbMergeConfig, PbMerger, pb_merge};

use kaiden_core::game::{Game, Gpt, Playtype};
use kaiden_core::query::MatchType;

/// How a GPT names its difficulties.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Difficulties {
    /// A fixed list, in display order.
    Fixed {
        /// Every difficulty name, easiest first.
        order: &'static [&'static str],
        /// The difficulty shown by default.
        default: &'static str,
    },
    /// Any string is a difficulty name (ITG).
    Dynamic,
}

impl Difficulties {
    /// The difficulty names in order, when the GPT has a fixed list.
    #[must_use]
    pub fn names(&self) -> Option<&'static [&'static str]> {
        match self {
            Difficulties::Fixed { order, .. } => Some(order),
            Difficulties::Dynamic => None,
        }
    }

    /// Whether `name` is a valid difficulty of this GPT.
    #[must_use]
    pub fn accepts(&self, name: &str) -> bool {
        match self {
            Difficulties::Fixed { order, .. } => order.contains(&name),
            Difficulties::Dynamic => true,
        }
    }
}

/// The value type of one metric.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MetricKind {
    /// A JS safe integer, optionally bounded (inclusive).
    Integer {
        /// Inclusive lower bound, if any.
        min: Option<f64>,
        /// Inclusive upper bound, if any.
        max: Option<f64>,
    },
    /// A finite number, optionally bounded (inclusive).
    Decimal {
        /// Inclusive lower bound, if any.
        min: Option<f64>,
        /// Inclusive upper bound, if any.
        max: Option<f64>,
    },
    /// One of a fixed list of strings, worst first.
    Enum {
        /// The values in ascending order ("better" is later).
        values: &'static [&'static str],
        /// The lowest value the UI considers worth showing, if configured.
        minimum_relevant: Option<&'static str>,
    },
    /// An array of numbers (a chart-long history).
    Graph {
        /// Whether elements may be `null`.
        nullable: bool,
        /// Inclusive element lower bound.
        min: Option<f64>,
        /// Inclusive element upper bound.
        max: Option<f64>,
        /// Whether elements must be integers.
        integer: bool,
    },
}

/// One metric of a GPT.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MetricConfig {
    /// The metric's key in `scoreData` (or `scoreData.optional`).
    pub name: &'static str,
    /// Its value type and bounds.
    pub kind: MetricKind,
    /// Bounds depend on the chart (checked by a chart-specific validator instead of
    /// `kind`'s bounds).
    pub chart_dependent_max: bool,
    /// Optional metrics only: the metric takes part in the scoreID as `optional.<name>`.
    pub part_of_score_id: bool,
    /// The check Tachi's config gives the metric (its `validate`), whose
    /// message Tachi's `ValidateScore` quotes.
    pub validator: Validator,
}

/// A metric's `validate` in Tachi's game configs (one of prudence's checks).
/// [`MetricKind`]'s bounds say what is accepted; this says how Tachi words a
/// value outside them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Validator {
    /// `p.isBetween(lo, hi)`: a number within inclusive bounds.
    Between(f64, f64),
    /// `p.isPositive`: a number, at least 0.
    Positive,
    /// `p.isPositiveInteger`: a safe integer, at least 0.
    PositiveInteger,
    /// `p.isBoundedInteger(lo, hi)`: a safe integer within inclusive bounds.
    BoundedInteger(f64, f64),
    /// No check of its own (enums; metrics a chart-specific validator checks).
    None,
}

impl Validator {
    /// The validator Tachi uses for bounds like `kind`'s, unless the config
    /// says otherwise.
    #[must_use]
    pub const fn for_kind(kind: MetricKind) -> Validator {
        match kind {
            MetricKind::Integer {
                min: Some(lo),
                max: Some(hi),
            }
            | MetricKind::Decimal {
                min: Some(lo),
                max: Some(hi),
            }
            | MetricKind::Graph {
                min: Some(lo),
                max: Some(hi),
                ..
            } => Validator::Between(lo, hi),
            MetricKind::Integer {
                min: Some(_),
                max: None,
            }
            | MetricKind::Decimal {
                min: Some(_),
                max: None,
            } => Validator::Positive,
            _ => Validator::None,
        }
    }

    /// Prudence's message when `value` fails the check, `None` when it passes.
    #[must_use]
    pub fn message(self, value: f64) -> Option<String> {
        use crate::games::checks::fmt_num;
        let safe = value.fract() == 0.0 && value.abs() <= 9_007_199_254_740_991.0;
        let (ok, message) = match self {
            Validator::Between(lo, hi) => (
                value >= lo && value <= hi,
                format!(
                    "Expected a number between {} and {}.",
                    fmt_num(lo),
                    fmt_num(hi)
                ),
            ),
            Validator::Positive => (value >= 0.0, "Expected a positive number.".to_owned()),
            Validator::PositiveInteger => (
                safe && value >= 0.0,
                "Expected a positive integer.".to_owned(),
            ),
            Validator::BoundedInteger(lo, hi) => (
                safe && value >= lo && value <= hi,
                format!(
                    "Expected an integer between {} and {}.",
                    fmt_num(lo),
                    fmt_num(hi)
                ),
            ),
            Validator::None => (true, String::new()),
        };
        (!ok).then_some(message)
    }
}

impl MetricConfig {
    /// For enum metrics, the position of `value` in the values list.
    #[must_use]
    pub fn enum_index(&self, value: &str) -> Option<usize> {
        match self.kind {
            MetricKind::Enum { values, .. } => values.iter().position(|v| *v == value),
            _ => None,
        }
    }

    /// For enum metrics, the values list.
    #[must_use]
    pub fn enum_values(&self) -> Option<&'static [&'static str]> {
        match self.kind {
            MetricKind::Enum { values, .. } => Some(values),
            _ => None,
        }
    }
}

/// One step of a grade table: the grade applies from `lower_bound` (inclusive) up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GradeBoundary {
    /// Grade name.
    pub grade: &'static str,
    /// Inclusive lower bound; `f64::NEG_INFINITY` for grades given only by a rule
    /// (ITG "F", DDR "E").
    pub lower_bound: f64,
}

/// How the `grade` metric of a GPT is derived.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GradeConfig {
    /// The name of Tachi's boundary table, e.g. `IIDXLIKE_GBOUNDARIES`.
    pub table: &'static str,
    /// The metric the grade is computed from (`percent`, `score`, `scorePercent`).
    pub graded_on: &'static str,
    /// The boundaries, lowest first.
    pub boundaries: &'static [GradeBoundary],
}

impl GradeConfig {
    /// Tachi's `GetGrade`: the highest grade whose lower bound is `<= value`, or
    /// `None` when `value` is below every bound (negative, NaN).
    #[must_use]
    pub fn grade_for(&self, value: f64) -> Option<&'static str> {
        self.boundaries
            .iter()
            .rev()
            .find(|b| value >= b.lower_bound)
            .map(|b| b.grade)
    }
}

/// Whether a class is submitted by imports or computed from profile ratings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClassKind {
    /// Submitted by an import (a dan, a stage-up); never goes down.
    Provided,
    /// Recomputed from a profile rating after each import; may go down.
    Derived,
}

/// One value of a class set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClassValue {
    /// Stable identifier, e.g. `DAN_10`.
    pub id: &'static str,
    /// Display text, e.g. `十段`.
    pub display: &'static str,
    /// Hover text, e.g. `10th Dan`.
    pub hover_text: Option<&'static str>,
}

/// How a derived class follows from a profile rating.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ClassRule {
    /// The first `(min, class)` whose `rating >= min` (listed highest first), else
    /// `otherwise`.
    Thresholds {
        /// `(min, class id)`, descending by `min`.
        steps: &'static [(f64, &'static str)],
        /// The class below every threshold.
        otherwise: &'static str,
    },
    /// The first `(lt, class)` whose `rating < lt` (listed lowest first), else
    /// `otherwise`.
    UpperBounds {
        /// `(exclusive upper bound, class id)`, ascending.
        steps: &'static [(f64, &'static str)],
        /// The class at or above every bound.
        otherwise: &'static str,
    },
}

/// The derivation of a derived class.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClassDerivation {
    /// The profile rating algorithm the class is computed from.
    pub from_profile_rating: &'static str,
    /// The thresholds.
    pub rule: ClassRule,
}

impl ClassDerivation {
    /// The class for a profile rating; `None` when the rating is `None`.
    #[must_use]
    pub fn class_for(&self, rating: Option<f64>) -> Option<&'static str> {
        let r = rating?;
        Some(match self.rule {
            ClassRule::Thresholds { steps, otherwise } => steps
                .iter()
                .find(|(min, _)| r >= *min)
                .map_or(otherwise, |(_, id)| id),
            ClassRule::UpperBounds { steps, otherwise } => steps
                .iter()
                .find(|(lt, _)| r < *lt)
                .map_or(otherwise, |(_, id)| id),
        })
    }
}

/// A class set of a GPT (a dan ladder, a colour, ...).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClassConfig {
    /// The class set's name, e.g. `dan`.
    pub name: &'static str,
    /// Provided or derived.
    pub kind: ClassKind,
    /// Values, lowest first.
    pub values: &'static [ClassValue],
    /// For derived classes, how they are computed.
    pub derivation: Option<ClassDerivation>,
}

impl ClassConfig {
    /// Position of a class id in the ladder (higher is better).
    #[must_use]
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.values.iter().position(|v| v.id == id)
    }
}

/// How a session or profile rating aggregates score ratings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Aggregation {
    /// Mean of the best `n` values of `source`.
    AverageOfBestN {
        /// The score rating algorithm aggregated.
        source: &'static str,
        /// How many values.
        n: usize,
        /// `null` when fewer than `n` values exist.
        null_if_fewer_than_n: bool,
        /// Profile integer-maths multiplier (CHUNITHM, ONGEKI).
        multiplier: Option<f64>,
        /// Multiply the result (SDVX session VF6 ×50).
        post_multiply: Option<f64>,
    },
    /// Sum of the best `n` values of `source`.
    SumOfBestN {
        /// The score rating algorithm aggregated.
        source: &'static str,
        /// How many values.
        n: usize,
        /// `null` when fewer than `n` values exist.
        null_if_fewer_than_n: bool,
        /// Profile integer-maths multiplier.
        multiplier: Option<f64>,
    },
    /// A game-specific formula (jubeat jubility, ONGEKI refresh, DDR flare skill).
    Custom,
}

/// A named session or profile rating algorithm.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RatingAlgConfig {
    /// The algorithm's name, the key in `calculatedData` / `ratings`.
    pub name: &'static str,
    /// How it is computed.
    pub aggregation: Aggregation,
}

/// A value type in a score-meta schema.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MetaFieldKind {
    /// One of the values.
    Enum(&'static [&'static str]),
    /// A 2-tuple of values (DP random options: left, right).
    EnumPair(&'static [&'static str]),
    /// A boolean.
    Boolean,
    /// Any number.
    Number,
}

/// One field of a GPT's `scoreMeta` schema (a strict object; other keys are rejected).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MetaField {
    /// The key.
    pub name: &'static str,
    /// The value type.
    pub kind: MetaFieldKind,
    /// Whether `null` is accepted.
    pub nullable: bool,
}

/// Every static fact Tachi's pipeline uses about one game+playtype.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GptConfig {
    /// Which GPT this is.
    pub gpt: Gpt,
    /// Difficulty names.
    pub difficulties: Difficulties,
    /// Game versions as `(id, display name)`, in Tachi's order.
    pub versions: &'static [(&'static str, &'static str)],
    /// Judgement names, best first.
    pub judgements: &'static [&'static str],
    /// Metrics every import must supply; they make the scoreID.
    pub provided_metrics: &'static [MetricConfig],
    /// Metrics computed from the provided ones and the chart.
    pub derived_metrics: &'static [MetricConfig],
    /// Metrics that may be absent (`scoreData.optional`).
    pub optional_metrics: &'static [MetricConfig],
    /// The metric PBs and leaderboards sort on.
    pub default_metric: &'static str,
    /// The enum metric shown by default.
    pub preferred_default_enum: &'static str,
    /// Score rating algorithms (`calculatedData` keys), default first.
    pub score_rating_algs: &'static [&'static str],
    /// Session rating algorithms, default first.
    pub session_rating_algs: &'static [RatingAlgConfig],
    /// Profile rating algorithms, default first.
    pub profile_rating_algs: &'static [RatingAlgConfig],
    /// Class sets.
    pub classes: &'static [ClassConfig],
    /// How `grade` is derived.
    pub grades: GradeConfig,
    /// Match types BATCH-MANUAL may use for this GPT.
    pub supported_match_types: &'static [MatchType],
    /// The `scoreMeta` schema.
    pub score_meta: &'static [MetaField],
}

impl GptConfig {
    /// The values of an enum metric (provided or derived), worst first; empty
    /// when the GPT has no such enum metric. Converters read lamps here
    /// instead of keeping lists of their own.
    #[must_use]
    pub fn enum_values(&self, metric: &str) -> &'static [&'static str] {
        self.metric(metric)
            .and_then(MetricConfig::enum_values)
            .unwrap_or(&[])
    }

    /// The config of a GPT.
    #[must_use]
    pub fn of(gpt: Gpt) -> &'static GptConfig {
        crate::games::config(gpt)
    }

    /// The game.
    #[must_use]
    pub fn game(&self) -> Game {
        self.gpt.game()
    }

    /// The playtype.
    #[must_use]
    pub fn playtype(&self) -> Playtype {
        self.gpt.playtype()
    }

    /// A provided or derived metric by name.
    #[must_use]
    pub fn metric(&self, name: &str) -> Option<&'static MetricConfig> {
        self.provided_metrics
            .iter()
            .chain(self.derived_metrics)
            .find(|m| m.name == name)
    }

    /// An optional metric by name.
    #[must_use]
    pub fn optional_metric(&self, name: &str) -> Option<&'static MetricConfig> {
        self.optional_metrics.iter().find(|m| m.name == name)
    }

    /// A class set by name.
    #[must_use]
    pub fn class(&self, name: &str) -> Option<&'static ClassConfig> {
        self.classes.iter().find(|c| c.name == name)
    }

    /// Whether `version` is a version id of this GPT.
    #[must_use]
    pub fn has_version(&self, version: &str) -> bool {
        self.versions.iter().any(|(id, _)| *id == version)
    }

    /// Whether BATCH-MANUAL may use `match_type` for this GPT.
    #[must_use]
    pub fn supports_match_type(&self, match_type: MatchType) -> bool {
        self.supported_match_types.contains(&match_type)
    }

    /// The optional metrics that are part of the scoreID.
    pub fn score_id_optionals(&self) -> impl Iterator<Item = &'static MetricConfig> + use<> {
        let all: &'static [MetricConfig] = self.optional_metrics;
        all.iter().filter(|m| m.part_of_score_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_gpt_has_a_config_that_names_it() {
        for gpt in Gpt::ALL {
            assert_eq!(GptConfig::of(gpt).gpt, gpt);
        }
    }

    #[test]
    fn iidx_grades_keep_boundary_scores_on_the_right_grade() {
        let g = GptConfig::of(Gpt::IidxSp).grades;
        // 1000 notes: 1556 EX is exactly 7/9 of max (AA), percent computed Tachi's way.
        let percent = (100.0 * 1556.0) / (1000.0 * 2.0);
        assert_eq!(g.grade_for(percent), Some("AA"));
        assert_eq!(g.grade_for(100.0), Some("MAX"));
        assert_eq!(g.grade_for(0.0), Some("F"));
        assert_eq!(g.grade_for(-1.0), None);
    }

    #[test]
    fn derived_class_rules() {
        let sdvx = GptConfig::of(Gpt::SdvxSingle);
        let vf = sdvx.class("vfClass").and_then(|c| c.derivation);
        let vf = vf.expect("sdvx has a derived vfClass");
        assert_eq!(vf.class_for(None), None);
        assert_eq!(vf.class_for(Some(0.0)), Some("SIENNA_I"));
        assert_eq!(vf.class_for(Some(23.5)), Some("IMPERIAL_IV"));
        let popn = GptConfig::of(Gpt::Popn9B)
            .class("class")
            .and_then(|c| c.derivation);
        let popn = popn.expect("popn has a derived class");
        assert_eq!(popn.class_for(Some(20.9)), Some("KITTY"));
        assert_eq!(popn.class_for(Some(200.0)), Some("GOD"));
    }
}
