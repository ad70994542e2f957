//! Conformance of kaiden-core against Tachi's own facts (`game-configs.json`):
//! every GPT config field, every scoreID vector, every rating vector, and the seed
//! files' documents. Skipped, visibly, when the data is absent.

use std::path::Path;

use kaiden_core::documents::{ChartDocument, SongDocument};
use kaiden_core::score::{MetricValue, ScoreData};
use kaiden_core::{Gpt, MatchType};
use kaiden_games::config::{
    Aggregation, ClassKind, ClassRule, Difficulties, GptConfig, MergeDirection, MergeField,
    MergeKey, MetaFieldKind, MetricConfig, MetricKind,
};
use kaiden_games::rating;
use kaiden_score_id::{score_id, score_id_input};
use kaiden_testkit::Conformance;
use serde_json::Value;

fn load(dir: &Path, file: &str) -> Value {
    let text = std::fs::read_to_string(dir.join(file)).expect("readable");
    serde_json::from_str(&text).expect("valid JSON")
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_str().expect("string").to_owned())
        .collect()
}

fn keys(v: &Value) -> Vec<String> {
    v.as_object().expect("object").keys().cloned().collect()
}

fn opt_f64(v: &Value, key: &str) -> Option<f64> {
    v.get(key).and_then(Value::as_f64)
}

fn check_metrics(gpt: Gpt, ours: &[MetricConfig], theirs: &Value) {
    assert_eq!(
        ours.iter().map(|m| m.name).collect::<Vec<_>>(),
        keys(theirs),
        "{gpt} metric names/order"
    );
    for m in ours {
        let t = &theirs[m.name];
        let ctx = format!("{gpt} {}", m.name);
        assert_eq!(
            m.chart_dependent_max,
            t["chartDependentMax"] == true,
            "{ctx}"
        );
        assert_eq!(m.part_of_score_id, t["partOfScoreID"] == true, "{ctx}");
        match m.kind {
            MetricKind::Integer { min, max } => {
                assert_eq!(t["type"], "INTEGER", "{ctx}");
                assert_eq!((min, max), (opt_f64(t, "min"), opt_f64(t, "max")), "{ctx}");
            }
            MetricKind::Decimal { min, max } => {
                assert_eq!(t["type"], "DECIMAL", "{ctx}");
                assert_eq!((min, max), (opt_f64(t, "min"), opt_f64(t, "max")), "{ctx}");
            }
            MetricKind::Enum {
                values,
                minimum_relevant,
            } => {
                assert_eq!(t["type"], "ENUM", "{ctx}");
                assert_eq!(values, strs(&t["values"]), "{ctx}");
                assert_eq!(
                    minimum_relevant,
                    t["minimumRelevantValue"].as_str(),
                    "{ctx}"
                );
            }
            MetricKind::Graph {
                nullable,
                min,
                max,
                integer,
            } => {
                let want = if nullable { "NULLABLE_GRAPH" } else { "GRAPH" };
                assert_eq!(t["type"], want, "{ctx}");
                let eb = &t["elementBounds"];
                assert_eq!(
                    (min, max),
                    (opt_f64(eb, "min"), opt_f64(eb, "max")),
                    "{ctx}"
                );
                assert_eq!(integer, eb["mustBeInteger"] == true, "{ctx}");
            }
        }
    }
}

fn check_aggregation(ctx: &str, a: Aggregation, imp: &Value) {
    let n = |v: &Value| usize::try_from(v.as_u64().expect("n")).expect("small");
    match a {
        Aggregation::AverageOfBestN {
            source,
            n: count,
            null_if_fewer_than_n,
            multiplier,
            post_multiply,
        } => {
            assert_eq!(imp["method"], "averageOfBestN", "{ctx}");
            assert_eq!(imp["source"], source, "{ctx}");
            assert_eq!(n(&imp["n"]), count, "{ctx}");
            assert_eq!(
                imp["nullIfFewerThanN"] == true,
                null_if_fewer_than_n,
                "{ctx}"
            );
            assert_eq!(opt_f64(imp, "multiplier"), multiplier, "{ctx}");
            assert_eq!(opt_f64(imp, "postMultiply"), post_multiply, "{ctx}");
        }
        Aggregation::SumOfBestN {
            source,
            n: count,
            null_if_fewer_than_n,
            multiplier,
        } => {
            assert_eq!(imp["method"], "sumOfBestN", "{ctx}");
            assert_eq!(imp["source"], source, "{ctx}");
            assert_eq!(n(&imp["n"]), count, "{ctx}");
            assert_eq!(
                imp["nullIfFewerThanN"] == true,
                null_if_fewer_than_n,
                "{ctx}"
            );
            assert_eq!(opt_f64(imp, "multiplier"), multiplier, "{ctx}");
        }
        Aggregation::Custom => assert_eq!(imp["method"], "custom", "{ctx}"),
    }
}

fn check_gpt(gpt: Gpt, t: &Value) {
    let c = GptConfig::of(gpt);
    assert_eq!(t["game"], gpt.game().as_str());
    assert_eq!(t["playtype"], gpt.playtype().as_str());
    match c.difficulties {
        Difficulties::Fixed { order, default } => {
            assert_eq!(t["difficulties"]["type"], "FIXED");
            assert_eq!(
                order,
                strs(&t["difficulties"]["order"]),
                "{gpt} difficulties"
            );
            assert_eq!(t["difficulties"]["default"], default);
        }
        Difficulties::Dynamic => assert_eq!(t["difficulties"]["type"], "DYNAMIC"),
    }
    let version_ids: Vec<&str> = c.versions.iter().map(|(id, _)| *id).collect();
    let their_order = t["versionOrder"]
        .as_array()
        .map(|_| strs(&t["versionOrder"]))
        .unwrap_or_else(|| {
            t["versions"]
                .as_object()
                .map(|_| keys(&t["versions"]))
                .unwrap_or_default()
        });
    assert_eq!(version_ids, their_order, "{gpt} versions");
    for (id, name) in c.versions {
        assert_eq!(t["versions"][id], *name, "{gpt} version {id}");
    }
    assert_eq!(
        c.judgements,
        strs(&t["orderedJudgements"]),
        "{gpt} judgements"
    );
    check_metrics(gpt, c.provided_metrics, &t["providedMetrics"]);
    check_metrics(gpt, c.derived_metrics, &t["derivedMetrics"]);
    check_metrics(gpt, c.optional_metrics, &t["optionalMetrics"]);
    assert_eq!(t["defaultMetric"], c.default_metric);
    assert_eq!(t["preferredDefaultEnum"], c.preferred_default_enum);

    let mut score_algs = keys(&t["scoreRatingAlgs"]);
    score_algs.sort();
    let mut ours: Vec<&str> = c.score_rating_algs.to_vec();
    ours.sort_unstable();
    assert_eq!(ours, score_algs, "{gpt} score algs");
    assert_eq!(c.score_rating_algs[0], t["defaultScoreRatingAlg"], "{gpt}");
    for (ours, key, default) in [
        (
            c.session_rating_algs,
            "sessionRatingAlgs",
            "defaultSessionRatingAlg",
        ),
        (
            c.profile_rating_algs,
            "profileRatingAlgs",
            "defaultProfileRatingAlg",
        ),
    ] {
        assert_eq!(
            ours.len(),
            t[key].as_object().expect("algs").len(),
            "{gpt} {key}"
        );
        assert_eq!(ours[0].name, t[default], "{gpt} {default}");
        for alg in ours {
            check_aggregation(
                &format!("{gpt} {key} {}", alg.name),
                alg.aggregation,
                &t[key][alg.name]["implementation"],
            );
        }
    }

    assert_eq!(
        c.classes.iter().map(|k| k.name).collect::<Vec<_>>(),
        keys(&t["classes"]),
        "{gpt} classes"
    );
    for class in c.classes {
        let tc = &t["classes"][class.name];
        let ctx = format!("{gpt} class {}", class.name);
        let kind = if class.kind == ClassKind::Provided {
            "PROVIDED"
        } else {
            "DERIVED"
        };
        assert_eq!(tc["type"], kind, "{ctx}");
        let values = tc["values"].as_array().expect("values");
        assert_eq!(class.values.len(), values.len(), "{ctx}");
        for (ours, theirs) in class.values.iter().zip(values) {
            assert_eq!(theirs["id"], ours.id, "{ctx}");
            assert_eq!(theirs["display"], ours.display, "{ctx}");
            assert_eq!(theirs["hoverText"].as_str(), ours.hover_text, "{ctx}");
        }
        match (class.derivation, tc.get("derivation")) {
            (None, None) => {}
            (Some(d), Some(td)) => {
                assert_eq!(td["fromProfileRating"], d.from_profile_rating, "{ctx}");
                let (steps, otherwise, key, bound) = match d.rule {
                    ClassRule::Thresholds { steps, otherwise } => {
                        (steps, otherwise, "thresholds", "min")
                    }
                    ClassRule::UpperBounds { steps, otherwise } => {
                        (steps, otherwise, "upperBounds", "lt")
                    }
                };
                assert_eq!(td["otherwise"], otherwise, "{ctx}");
                let theirs = td[key].as_array().expect("steps");
                assert_eq!(steps.len(), theirs.len(), "{ctx}");
                for ((b, id), t) in steps.iter().zip(theirs) {
                    assert_eq!(t[bound].as_f64(), Some(*b), "{ctx}");
                    assert_eq!(t["value"], *id, "{ctx}");
                }
            }
            other => panic!("{ctx}: derivation mismatch {other:?}"),
        }
    }

    let g = &t["grades"];
    assert_eq!(g["boundaryTable"], c.grades.table, "{gpt}");
    assert_eq!(g["gradedOn"], c.grades.graded_on, "{gpt}");
    let bounds = g["boundaries"].as_array().expect("boundaries");
    assert_eq!(c.grades.boundaries.len(), bounds.len(), "{gpt} grades");
    for (ours, theirs) in c.grades.boundaries.iter().zip(bounds) {
        assert_eq!(theirs["grade"], ours.grade, "{gpt}");
        let lb = theirs["lowerBound"].as_f64().unwrap_or(f64::NEG_INFINITY);
        assert_eq!(
            lb.to_bits(),
            ours.lower_bound.to_bits(),
            "{gpt} grade {}",
            ours.grade
        );
    }
    // The grade metric lists the same grades in the same order.
    let grade_values = c
        .metric("grade")
        .and_then(MetricConfig::enum_values)
        .expect("grade enum");
    assert_eq!(
        grade_values,
        c.grades
            .boundaries
            .iter()
            .map(|b| b.grade)
            .collect::<Vec<_>>(),
        "{gpt}"
    );

    let mts: Vec<String> = c
        .supported_match_types
        .iter()
        .map(|m| m.to_string())
        .collect();
    assert_eq!(mts, strs(&t["supportedMatchTypes"]), "{gpt} match types");
    for m in c.supported_match_types {
        assert_eq!(m.to_string().parse::<MatchType>().ok(), Some(*m));
    }

    let fields = t["scoreMeta"]["fields"]
        .as_object()
        .expect("scoreMeta fields");
    assert_eq!(c.score_meta.len(), fields.len(), "{gpt} scoreMeta");
    for f in c.score_meta {
        let tf = &fields[f.name];
        assert_eq!(
            tf["nullable"] == true,
            f.nullable,
            "{gpt} scoreMeta {}",
            f.name
        );
        match f.kind {
            MetaFieldKind::Enum(v) => assert_eq!(v, strs(&tf["values"])),
            MetaFieldKind::EnumPair(v) => {
                assert_eq!(tf["type"], "tuple");
                assert_eq!(v, strs(&tf["items"][0]["values"]));
                assert_eq!(v, strs(&tf["items"][1]["values"]));
            }
            MetaFieldKind::Boolean => assert_eq!(tf["type"], "boolean"),
            MetaFieldKind::Number => assert_eq!(tf["type"], "number"),
        }
    }

    let part_of_id: Vec<&str> = c.score_id_optionals().map(|m| m.name).collect();
    let theirs = t["__partOfScoreID"]
        .as_array()
        .map(|_| strs(&t["__partOfScoreID"]));
    if let Some(theirs) = theirs {
        assert_eq!(part_of_id, theirs);
    }
}

fn score_data_from(v: &Value) -> ScoreData {
    let mut data = ScoreData::default();
    for (k, x) in v.as_object().expect("scoreData") {
        if k == "optional" {
            for (ok, ov) in x.as_object().expect("optional") {
                let mv: MetricValue = serde_json::from_value(ov.clone()).expect("metric");
                data.optional.insert(ok.clone().into(), mv);
            }
        } else {
            let mv: MetricValue = serde_json::from_value(x.clone()).expect("metric");
            data.metrics.insert(k.clone().into(), mv);
        }
    }
    data
}

fn f(v: &Value) -> f64 {
    v.as_f64().expect("number")
}

fn s(v: &Value) -> &str {
    v.as_str().expect("string")
}

fn run_rating_vector(fn_name: &str, a: &[Value]) -> Option<f64> {
    let r = match fn_name {
        "PoyashiBPI.calculate" => {
            rating::poyashi_bpi(f(&a[0]), f(&a[1]), f(&a[2]), f(&a[3]), a[4].as_f64())
        }
        "Volforce.calculateVF6" => rating::volforce_vf6(f(&a[0]), s(&a[1]), f(&a[2])),
        "CHUNITHMRating.calculate" => rating::chunithm_rating(f(&a[0]), f(&a[1])),
        "MaimaiRate.calculate" => rating::maimai_rate(f(&a[0]), f(&a[1]), f(&a[2])),
        "MaimaiDXRate.calculate" => rating::maimaidx_rate(f(&a[0]), f(&a[1])),
        "WACCARate.calculate" => rating::wacca_rate(f(&a[0]), f(&a[1])),
        "GITADORASkill.calculate" => rating::gitadora_skill(f(&a[0]), f(&a[1])),
        "Jubility.calculate" => rating::jubility(f(&a[0]), f(&a[1]), f(&a[2])),
        "PopnClassPoints.calculate" => rating::popn_class_points(f(&a[0]), s(&a[1]), f(&a[2])),
        "CuratorSkill.calculate" => rating::curator_skill(f(&a[0]), f(&a[1])),
        "Potential.calculate" => rating::arcaea_potential(f(&a[0]), f(&a[1])),
        "ONGEKIRating.calculate" => rating::ongeki_rating(f(&a[0]), f(&a[1])),
        "ONGEKIRating.calculateRefresh" => {
            rating::ongeki_rating_refresh(f(&a[0]), f(&a[1]), s(&a[2]), a[3] == true)
        }
        "ONGEKIRating.calculatePlatinum" => rating::ongeki_rating_platinum(f(&a[0]), f(&a[1])),
        "DDRFlare.calculate" => rating::ddr_flare(
            f(&a[0]),
            usize::try_from(a[1].as_u64().expect("flare")).expect("small"),
        ),
        "ITGHighestUnbroken.calculateFromNPSPerMeasure" => {
            let v = |x: &Value| {
                x.as_array()
                    .expect("array")
                    .iter()
                    .map(f)
                    .collect::<Vec<_>>()
            };
            return rating::itg_highest_unbroken(
                &v(&a[0]),
                &v(&a[1]),
                a[2].as_f64(),
                usize::try_from(a[3].as_u64().expect("measures")).expect("small"),
            )
            .expect("rates");
        }
        other => panic!("no rating function for {other}"),
    };
    Some(r.unwrap_or_else(|e| panic!("{fn_name}{a:?} failed: {e}")))
}

fn main() {
    let mut suite = Conformance::new("kaiden-games");
    for gpt in Gpt::ALL {
        suite.case(format!("config {gpt}"), move |dir| {
            let json = load(dir, "game-configs.json");
            let mut t = json["gpts"][gpt.as_str()].clone();
            if let Some(p) = json["scoreID"]["partOfScoreIDMetrics"].get(gpt.as_str()) {
                t["__partOfScoreID"] = p.clone();
            } else {
                t["__partOfScoreID"] = Value::Array(vec![]);
            }
            check_gpt(gpt, &t);
        });
    }
    suite.case("config gpt list matches", |dir| {
        let json = load(dir, "game-configs.json");
        let order = strs(&json["meta"]["gptOrder"]);
        assert_eq!(
            order,
            Gpt::ALL.iter().map(|g| g.to_string()).collect::<Vec<_>>()
        );
    });
    suite.case("grade boundary tables", |dir| {
        let json = load(dir, "game-configs.json");
        for gpt in Gpt::ALL {
            let g = GptConfig::of(gpt).grades;
            let table = &json["gradeBoundaryTables"][g.table];
            assert!(!table.is_null(), "{gpt}: table {} exists", g.table);
        }
    });
    suite.case("PB merge rules", |dir| {
        let json = load(dir, "game-configs.json");
        for gpt in Gpt::ALL {
            let theirs = &json["gpts"][gpt.as_str()]["pbMerge"];
            let ours = kaiden_games::config::pb_merge(gpt);
            assert_eq!(
                ours.default_ref_name,
                s(&theirs["defaultMergeRefName"]),
                "{gpt}"
            );
            let mergers = theirs["mergers"].as_array().expect("mergers");
            assert_eq!(ours.mergers.len(), mergers.len(), "{gpt}");
            for (o, t) in ours.mergers.iter().zip(mergers) {
                assert_eq!(o.name, s(&t["name"]), "{gpt}");
                let dir = match o.direction {
                    MergeDirection::Largest => "largest",
                    MergeDirection::Smallest => "smallest",
                };
                assert_eq!(dir, s(&t["direction"]), "{gpt} {}", o.name);
                let key = match o.key {
                    MergeKey::EnumIndex(k) => format!("enumIndexes.{k}"),
                    MergeKey::Metric(k) => k.to_owned(),
                    MergeKey::Optional(k) => format!("optional.{k}"),
                };
                assert_eq!(key, s(&t["sortKey"]), "{gpt} {}", o.name);
                let copies: Vec<String> = o
                    .copies
                    .iter()
                    .map(|c| match c {
                        MergeField::Metric(k) => (*k).to_owned(),
                        MergeField::Optional(k) => format!("optional.{k}"),
                    })
                    .collect();
                assert_eq!(copies, strs(&t["copies"]), "{gpt} {}", o.name);
            }
            assert_eq!(
                ours.ranking_tiebreak.is_some(),
                theirs.get("rankingSort").is_some(),
                "{gpt}"
            );
        }
    });
    suite.case("scoreID test vectors", |dir| {
        let json = load(dir, "game-configs.json");
        let vectors = json["scoreID"]["testVectors"].as_array().expect("vectors");
        assert!(!vectors.is_empty());
        for v in vectors {
            let gpt: Gpt = s(&v["gpt"]).parse().expect("gpt");
            let user = v["userID"].as_u64().expect("user");
            let chart = s(&v["chartID"]);
            let data = score_data_from(&v["scoreData"]);
            assert_eq!(
                score_id_input(gpt, user, chart, &data).expect("hashable"),
                s(&v["stableStringified"])
            );
            assert_eq!(
                score_id(gpt, user, chart, &data).expect("hashable"),
                s(&v["scoreID"])
            );
        }
    });
    suite.case("rating test vectors", |dir| {
        let json = load(dir, "game-configs.json");
        let vectors = json["rgStats"]["testVectors"].as_array().expect("vectors");
        assert_eq!(vectors.len(), 31);
        let mut failures = Vec::new();
        for v in vectors {
            let name = s(&v["fn"]);
            let args = v["args"].as_array().expect("args");
            let got = run_rating_vector(name, args);
            let want = v["result"].as_f64();
            if got.map(f64::to_bits) != want.map(f64::to_bits) {
                failures.push(format!("{name}{args:?}: got {got:?}, want {want:?}"));
            }
        }
        assert!(
            failures.is_empty(),
            "rating mismatches:\n{}",
            failures.join("\n")
        );
    });
    suite.case("seed documents load", |dir| {
        let mut n = 0;
        for sub in ["seeds", "iidx"] {
            let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
                continue;
            };
            for entry in entries {
                let path = entry.expect("entry").path();
                let name = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default()
                    .to_owned();
                let text = std::fs::read_to_string(&path).expect("readable");
                if name.starts_with("charts-") {
                    let docs: Vec<ChartDocument> = serde_json::from_str(&text)
                        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                    n += docs.len();
                } else if name.starts_with("songs-") {
                    let docs: Vec<SongDocument> = serde_json::from_str(&text)
                        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                    n += docs.len();
                }
            }
        }
        assert!(n > 10_000, "loaded {n} documents");
    });
    suite.run();
}
