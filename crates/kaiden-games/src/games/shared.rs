//! Config pieces several games share, each written once.

use super::build::*;
use crate::config::*;

/// Shared by sdvx, usc.
pub(super) const SDVX_VF_CLASS: ClassConfig = derived(
    "vfClass",
    &[
        cv("SIENNA_I", "Sienna I", Some("0 - 2.499VF")),
        cv("SIENNA_II", "Sienna II", Some("2.5 - 4.999VF")),
        cv("SIENNA_III", "Sienna III", Some("5.0 - 7.499VF")),
        cv("SIENNA_IV", "Sienna IV", Some("7.5 - 9.999VF")),
        cv("COBALT_I", "Cobalt I", Some("10 - 10.499VF")),
        cv("COBALT_II", "Cobalt II", Some("10.5 - 10.999VF")),
        cv("COBALT_III", "Cobalt III", Some("11 - 11.499VF")),
        cv("COBALT_IV", "Cobalt IV", Some("11.5 - 11.999VF")),
        cv("DANDELION_I", "Dandelion I", Some("12 - 12.499VF")),
        cv("DANDELION_II", "Dandelion II", Some("12.5 - 12.999VF")),
        cv("DANDELION_III", "Dandelion III", Some("13 - 13.499VF")),
        cv("DANDELION_IV", "Dandelion IV", Some("13.5 - 13.999VF")),
        cv("CYAN_I", "Cyan I", Some("14 - 14.249VF")),
        cv("CYAN_II", "Cyan II", Some("14.25 - 14.499VF")),
        cv("CYAN_III", "Cyan III", Some("14.5 - 14.749VF")),
        cv("CYAN_IV", "Cyan IV", Some("14.75 - 14.999VF")),
        cv("SCARLET_I", "Scarlet I", Some("15 - 15.249VF")),
        cv("SCARLET_II", "Scarlet II", Some("15.25 - 15.499VF")),
        cv("SCARLET_III", "Scarlet III", Some("15.5 - 15.749VF")),
        cv("SCARLET_IV", "Scarlet IV", Some("15.75 - 15.999VF")),
        cv("CORAL_I", "Coral I", Some("16 - 16.249VF")),
        cv("CORAL_II", "Coral II", Some("16.25 - 16.499VF")),
        cv("CORAL_III", "Coral III", Some("16.5 - 16.749VF")),
        cv("CORAL_IV", "Coral IV", Some("16.75 - 16.999VF")),
        cv("ARGENTO_I", "Argento I", Some("17 - 17.249VF")),
        cv("ARGENTO_II", "Argento II", Some("17.25 - 17.499VF")),
        cv("ARGENTO_III", "Argento III", Some("17.5 - 17.749VF")),
        cv("ARGENTO_IV", "Argento IV", Some("17.75 - 17.999VF")),
        cv("ELDORA_I", "Eldora I", Some("18 - 18.249VF")),
        cv("ELDORA_II", "Eldora II", Some("18.25 - 18.499VF")),
        cv("ELDORA_III", "Eldora III", Some("18.5 - 18.749VF")),
        cv("ELDORA_IV", "Eldora IV", Some("18.75 - 18.999VF")),
        cv("CRIMSON_I", "Crimson I", Some("19 - 19.249VF")),
        cv("CRIMSON_II", "Crimson II", Some("19.25 - 19.499VF")),
        cv("CRIMSON_III", "Crimson III", Some("19.5 - 19.749VF")),
        cv("CRIMSON_IV", "Crimson IV", Some("19.75 - 19.999VF")),
        cv("IMPERIAL_I", "Imperial I", Some("20 - 20.999VF")),
        cv("IMPERIAL_II", "Imperial II", Some("21 - 21.999VF")),
        cv("IMPERIAL_III", "Imperial III", Some("22 - 22.999VF")),
        cv("IMPERIAL_IV", "Imperial IV", Some(">23VF")),
    ],
    "VF6",
    ClassRule::Thresholds {
        steps: &[
            (23.0, "IMPERIAL_IV"),
            (22.0, "IMPERIAL_III"),
            (21.0, "IMPERIAL_II"),
            (20.0, "IMPERIAL_I"),
            (19.75, "CRIMSON_IV"),
            (19.5, "CRIMSON_III"),
            (19.25, "CRIMSON_II"),
            (19.0, "CRIMSON_I"),
            (18.75, "ELDORA_IV"),
            (18.5, "ELDORA_III"),
            (18.25, "ELDORA_II"),
            (18.0, "ELDORA_I"),
            (17.75, "ARGENTO_IV"),
            (17.5, "ARGENTO_III"),
            (17.25, "ARGENTO_II"),
            (17.0, "ARGENTO_I"),
            (16.75, "CORAL_IV"),
            (16.5, "CORAL_III"),
            (16.25, "CORAL_II"),
            (16.0, "CORAL_I"),
            (15.75, "SCARLET_IV"),
            (15.5, "SCARLET_III"),
            (15.25, "SCARLET_II"),
            (15.0, "SCARLET_I"),
            (14.75, "CYAN_IV"),
            (14.5, "CYAN_III"),
            (14.25, "CYAN_II"),
            (14.0, "CYAN_I"),
            (13.5, "DANDELION_IV"),
            (13.0, "DANDELION_III"),
            (12.5, "DANDELION_II"),
            (12.0, "DANDELION_I"),
            (11.5, "COBALT_IV"),
            (11.0, "COBALT_III"),
            (10.5, "COBALT_II"),
            (10.0, "COBALT_I"),
            (7.5, "SIENNA_IV"),
            (5.0, "SIENNA_III"),
            (2.5, "SIENNA_II"),
        ],
        otherwise: "SIENNA_I",
    },
);

/// Shared by bms, pms.
pub(super) const BMS_OPTIONAL_METRICS: &[MetricConfig] = &[
    metric("fast", int(Some(0.0), None)).positive_integer(),
    metric("slow", int(Some(0.0), None)).positive_integer(),
    metric("maxCombo", int(Some(0.0), None)).positive_integer(),
    metric("bp", int(Some(0.0), None)),
    metric("gauge", dec(Some(0.0), Some(100.0))),
    metric(
        "gaugeHistory",
        MetricKind::Graph {
            nullable: false,
            min: Some(0.0),
            max: Some(100.0),
            integer: false,
        },
    ),
    metric(
        "gaugeHistoryEasy",
        MetricKind::Graph {
            nullable: false,
            min: Some(0.0),
            max: Some(100.0),
            integer: false,
        },
    ),
    metric(
        "gaugeHistoryGroove",
        MetricKind::Graph {
            nullable: false,
            min: Some(0.0),
            max: Some(100.0),
            integer: false,
        },
    ),
    metric(
        "gaugeHistoryHard",
        MetricKind::Graph {
            nullable: false,
            min: Some(0.0),
            max: Some(100.0),
            integer: false,
        },
    ),
    metric("epg", int(Some(0.0), None)),
    metric("egr", int(Some(0.0), None)),
    metric("egd", int(Some(0.0), None)),
    metric("ebd", int(Some(0.0), None)),
    metric("epr", int(Some(0.0), None)),
    metric("lpg", int(Some(0.0), None)),
    metric("lgr", int(Some(0.0), None)),
    metric("lgd", int(Some(0.0), None)),
    metric("lbd", int(Some(0.0), None)),
    metric("lpr", int(Some(0.0), None)),
];

/// Shared by bms, iidx, pms.
pub(super) const IIDXLIKE_GRADES: GradeConfig = GradeConfig {
    table: "IIDXLIKE_GBOUNDARIES",
    graded_on: "percent",
    boundaries: &[
        gb("F", 0.0),
        gb("E", 22.22222222222222),
        gb("D", 33.333333333333336),
        gb("C", 44.44444444444444),
        gb("B", 55.55555555555556),
        gb("A", 66.66666666666667),
        gb("AA", 77.77777777777777),
        gb("AAA", 88.88888888888889),
        gb("MAX-", 94.44444444444444),
        gb("MAX", 100.0),
    ],
};

/// Shared by sdvx, usc.
pub(super) const SDVXLIKE_GRADES: GradeConfig = GradeConfig {
    table: "SDVXLIKE_GBOUNDARIES",
    graded_on: "score",
    boundaries: &[
        gb("D", 0.0),
        gb("C", 7000000.0),
        gb("B", 8000000.0),
        gb("A", 8700000.0),
        gb("A+", 9000000.0),
        gb("AA", 9300000.0),
        gb("AA+", 9500000.0),
        gb("AAA", 9700000.0),
        gb("AAA+", 9800000.0),
        gb("S", 9900000.0),
        gb("PUC", 10000000.0),
    ],
};

/// Shared by bms, iidx, pms.
pub(super) const BMS_PROVIDED_METRICS: &[MetricConfig] = &[
    metric("score", int(None, None)).chart_max(),
    metric(
        "lamp",
        enum_of(
            &[
                "NO PLAY",
                "FAILED",
                "ASSIST CLEAR",
                "EASY CLEAR",
                "CLEAR",
                "HARD CLEAR",
                "EX HARD CLEAR",
                "FULL COMBO",
            ],
            Some("EASY CLEAR"),
        ),
    ),
];

/// Shared by popn, usc.
pub(super) const POPN_OPTIONAL_METRICS: &[MetricConfig] = &[
    metric("fast", int(Some(0.0), None)).positive_integer(),
    metric("slow", int(Some(0.0), None)).positive_integer(),
    metric("maxCombo", int(Some(0.0), None)).positive_integer(),
    metric("gauge", dec(Some(0.0), Some(100.0))),
];

/// Shared by bms, pms.
pub(super) const BMS_DERIVED_METRICS: &[MetricConfig] = &[
    metric(
        "grade",
        enum_of(
            &["F", "E", "D", "C", "B", "A", "AA", "AAA", "MAX-", "MAX"],
            Some("A"),
        ),
    ),
    metric("percent", dec(Some(0.0), Some(100.0))),
];

/// Shared by chunithm, maimaidx.
pub(super) const CHUNITHM_DERIVED_METRICS: &[MetricConfig] = &[metric(
    "grade",
    enum_of(
        &[
            "D", "C", "B", "BB", "BBB", "A", "AA", "AAA", "S", "S+", "SS", "SS+", "SSS", "SSS+",
        ],
        Some("A"),
    ),
)];

/// Shared by arcaea, gitadora, maimai, museca, wacca.
pub(super) const ARCAEA_OPTIONAL_METRICS: &[MetricConfig] = &[
    metric("fast", int(Some(0.0), None)).positive_integer(),
    metric("slow", int(Some(0.0), None)).positive_integer(),
    metric("maxCombo", int(Some(0.0), None)).positive_integer(),
];

/// Shared by sdvx, usc.
pub(super) const SDVX_DERIVED_METRICS: &[MetricConfig] = &[metric(
    "grade",
    enum_of(
        &[
            "D", "C", "B", "A", "A+", "AA", "AA+", "AAA", "AAA+", "S", "PUC",
        ],
        Some("A+"),
    ),
)];
