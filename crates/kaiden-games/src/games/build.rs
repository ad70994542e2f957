//! Short constructors for the game configs, usable in `const` and `static`
//! items, so a config reads as a table: one line per metric, grade or class.

use crate::config::{
    Aggregation, ClassConfig, ClassDerivation, ClassKind, ClassRule, ClassValue, GradeBoundary,
    MetaField, MetaFieldKind, MetricConfig, MetricKind, RatingAlgConfig, Validator,
};

/// A metric outside the scoreID whose bounds do not depend on the chart.
pub(crate) const fn metric(name: &'static str, kind: MetricKind) -> MetricConfig {
    MetricConfig {
        name,
        kind,
        chart_dependent_max: false,
        part_of_score_id: false,
        validator: Validator::for_kind(kind),
    }
}

impl MetricConfig {
    /// Its bounds depend on the chart (a chart-specific validator checks them).
    pub(crate) const fn chart_max(mut self) -> Self {
        self.chart_dependent_max = true;
        self.validator = Validator::None;
        self
    }

    /// Tachi checks it with `p.isPositiveInteger`.
    pub(crate) const fn positive_integer(mut self) -> Self {
        self.validator = Validator::PositiveInteger;
        self
    }

    /// Tachi checks it with `p.isBoundedInteger(lo, hi)`.
    pub(crate) const fn bounded_integer(mut self, lo: f64, hi: f64) -> Self {
        self.validator = Validator::BoundedInteger(lo, hi);
        self
    }

    /// An optional metric that takes part in the scoreID.
    pub(crate) const fn in_score_id(mut self) -> Self {
        self.part_of_score_id = true;
        self
    }
}

/// A safe integer within inclusive bounds.
pub(crate) const fn int(min: Option<f64>, max: Option<f64>) -> MetricKind {
    MetricKind::Integer { min, max }
}

/// A finite number within inclusive bounds.
pub(crate) const fn dec(min: Option<f64>, max: Option<f64>) -> MetricKind {
    MetricKind::Decimal { min, max }
}

/// One of `values` (worst first).
pub(crate) const fn enum_of(
    values: &'static [&'static str],
    minimum_relevant: Option<&'static str>,
) -> MetricKind {
    MetricKind::Enum {
        values,
        minimum_relevant,
    }
}

/// A grade from `lower_bound` up.
pub(crate) const fn gb(grade: &'static str, lower_bound: f64) -> GradeBoundary {
    GradeBoundary { grade, lower_bound }
}

/// A class value.
pub(crate) const fn cv(
    id: &'static str,
    display: &'static str,
    hover_text: Option<&'static str>,
) -> ClassValue {
    ClassValue {
        id,
        display,
        hover_text,
    }
}

/// A `scoreMeta` field that may not be `null`.
pub(crate) const fn meta(name: &'static str, kind: MetaFieldKind) -> MetaField {
    MetaField {
        name,
        kind,
        nullable: false,
    }
}

impl MetaField {
    /// The field accepts `null`.
    pub(crate) const fn nullable(mut self) -> Self {
        self.nullable = true;
        self
    }
}

/// A rating: the mean of the best `n` values of `source`.
pub(crate) const fn average_of_best(
    name: &'static str,
    source: &'static str,
    n: usize,
    null_if_fewer_than_n: bool,
) -> RatingAlgConfig {
    RatingAlgConfig {
        name,
        aggregation: Aggregation::AverageOfBestN {
            source,
            n,
            null_if_fewer_than_n,
            multiplier: None,
            post_multiply: None,
        },
    }
}

/// A rating: the sum of the best `n` values of `source`.
pub(crate) const fn sum_of_best(
    name: &'static str,
    source: &'static str,
    n: usize,
    null_if_fewer_than_n: bool,
) -> RatingAlgConfig {
    RatingAlgConfig {
        name,
        aggregation: Aggregation::SumOfBestN {
            source,
            n,
            null_if_fewer_than_n,
            multiplier: None,
        },
    }
}

/// A rating computed by a game-specific formula.
pub(crate) const fn custom_rating(name: &'static str) -> RatingAlgConfig {
    RatingAlgConfig {
        name,
        aggregation: Aggregation::Custom,
    }
}

impl RatingAlgConfig {
    /// Profile integer maths: values are multiplied by `m` before summing.
    pub(crate) const fn multiplied(mut self, m: f64) -> Self {
        match &mut self.aggregation {
            Aggregation::AverageOfBestN { multiplier, .. }
            | Aggregation::SumOfBestN { multiplier, .. } => *multiplier = Some(m),
            Aggregation::Custom => {}
        }
        self
    }

    /// The mean is multiplied by `m` (SDVX session VF6 ×50).
    pub(crate) const fn times(mut self, m: f64) -> Self {
        if let Aggregation::AverageOfBestN { post_multiply, .. } = &mut self.aggregation {
            *post_multiply = Some(m);
        }
        self
    }
}

/// A class set the source provides.
pub(crate) const fn provided(name: &'static str, values: &'static [ClassValue]) -> ClassConfig {
    ClassConfig {
        name,
        kind: ClassKind::Provided,
        values,
        derivation: None,
    }
}

/// A class set derived from a profile rating.
pub(crate) const fn derived(
    name: &'static str,
    values: &'static [ClassValue],
    from_profile_rating: &'static str,
    rule: ClassRule,
) -> ClassConfig {
    ClassConfig {
        name,
        kind: ClassKind::Derived,
        values,
        derivation: Some(ClassDerivation {
            from_profile_rating,
            rule,
        }),
    }
}
