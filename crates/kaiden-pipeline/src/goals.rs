//! Goals and quests (Tachi's `framework/goals` and `framework/quests`), evaluated
//! on PBs for the goals whose charts this import touched.

use std::collections::HashSet;

use kaiden_core::documents::{
    GoalImportInfo, GoalImportStat, PbDocument, QuestImportInfo, QuestImportStat,
};
use kaiden_core::error::ImportError;
use kaiden_core::host::{GoalStore, PbStore, Subscription};
use kaiden_core::score::UserId;
use kaiden_core::stable_json::write_js_number;
use kaiden_core::{Game, Gpt};
use kaiden_games::config::{GptConfig, MetricKind};
use serde_json::{Value, json};

fn num_str(n: f64) -> String {
    let mut s = String::new();
    write_js_number(&mut s, n);
    s
}

/// A goal's criterion.
struct Criteria<'a> {
    key: &'a str,
    mode: &'a str,
    value: f64,
    count: Option<f64>,
    enum_values: Option<&'static [&'static str]>,
}

fn criteria<'a>(gpt: Gpt, goal: &'a Value) -> Option<Criteria<'a>> {
    let c = goal.get("criteria")?;
    let key = c.get("key")?.as_str()?;
    let key = key.strip_prefix("scoreData.").unwrap_or(key);
    let enum_values = GptConfig::of(gpt).metric(key).and_then(|m| match m.kind {
        MetricKind::Enum { values, .. } => Some(values),
        _ => None,
    });
    Some(Criteria {
        key,
        mode: c.get("mode")?.as_str()?,
        value: c.get("value")?.as_f64()?,
        count: c.get("countNum").and_then(Value::as_f64),
        enum_values,
    })
}

impl Criteria<'_> {
    fn value_of(&self, pb: &PbDocument) -> Option<f64> {
        if self.enum_values.is_some() {
            pb.score_data
                .enum_indexes
                .as_ref()
                .and_then(|e| e.get(self.key))
                .map(|i| *i as f64)
        } else {
            pb.score_data.number(self.key)
        }
    }

    fn human(&self, v: f64, pb: Option<&PbDocument>) -> String {
        match self.enum_values {
            Some(values) => {
                let name = usize::try_from(v as i64)
                    .ok()
                    .and_then(|i| values.get(i))
                    .map_or_else(|| num_str(v), |s| (*s).to_owned());
                match pb.and_then(|p| p.score_data.optional_number("bp")) {
                    Some(bp) if self.key == "lamp" && pb.is_some_and(|p| p.game == Game::Iidx) => {
                        format!("{name} (BP: {})", num_str(bp))
                    }
                    _ => name,
                }
            }
            None => num_str(v),
        }
    }
}

/// Evaluates one goal for a user's PBs on the goal's charts.
fn evaluate(gpt: Gpt, goal: &Value, charts: usize, pbs: &[PbDocument]) -> Option<GoalImportStat> {
    let c = criteria(gpt, goal)?;
    let values: Vec<(f64, &PbDocument)> = pbs
        .iter()
        .filter_map(|p| c.value_of(p).map(|v| (v, p)))
        .collect();
    match c.mode {
        "single" => {
            let best = values.iter().max_by(|a, b| a.0.total_cmp(&b.0));
            let out_of_human = c.human(c.value, None);
            Some(match best {
                Some(&(v, pb)) => GoalImportStat {
                    progress: Some(v),
                    progress_human: c.human(v, Some(pb)),
                    out_of: c.value,
                    out_of_human,
                    achieved: v >= c.value,
                },
                None => GoalImportStat {
                    progress: None,
                    progress_human: "NO DATA".to_owned(),
                    out_of: c.value,
                    out_of_human,
                    achieved: false,
                },
            })
        }
        "absolute" | "proportion" => {
            let count_num = c.count?;
            let target = if c.mode == "absolute" {
                count_num
            } else {
                (count_num * charts as f64).floor()
            };
            let progress = values.iter().filter(|(v, _)| *v >= c.value).count() as f64;
            Some(GoalImportStat {
                progress: Some(progress),
                progress_human: num_str(progress),
                out_of: target,
                out_of_human: num_str(target),
                achieved: progress >= target,
            })
        }
        _ => None,
    }
}

fn stat_of_sub(sub: &Value) -> GoalImportStat {
    GoalImportStat {
        progress: sub.get("progress").and_then(Value::as_f64),
        progress_human: sub
            .get("progressHuman")
            .and_then(Value::as_str)
            .unwrap_or("NO DATA")
            .to_owned(),
        out_of: sub.get("outOf").and_then(Value::as_f64).unwrap_or(0.0),
        out_of_human: sub
            .get("outOfHuman")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        achieved: sub
            .get("achieved")
            .and_then(Value::as_bool)
            .unwrap_or(false),
    }
}

fn gpt_of(doc: &Value) -> Option<Gpt> {
    let game: Game = doc.get("game")?.as_str()?.parse().ok()?;
    game.parse_playtype(doc.get("playtype")?.as_str()?).ok()
}

/// Updates the user's goals touched by `chart_ids`; returns `goalInfo`.
pub(crate) async fn process_goals<T: GoalStore + PbStore>(
    tx: &mut T,
    user: UserId,
    game: Game,
    chart_ids: &[String],
    now: i64,
) -> Result<Vec<(GoalImportInfo, Gpt)>, ImportError> {
    if chart_ids.is_empty() {
        return Ok(Vec::new());
    }
    let subs: Vec<Subscription> = tx.goals_touching(user, game, chart_ids).await?;
    let mut infos = Vec::new();
    let mut updated = Vec::new();
    for Subscription {
        document: goal,
        subscription: mut sub,
    } in subs
    {
        let Some(goal_id) = goal
            .get("goalID")
            .and_then(Value::as_str)
            .map(str::to_owned)
        else {
            continue;
        };
        let Some(gpt) = gpt_of(&goal) else { continue };
        let charts = tx.goal_chart_ids(&goal_id).await?;
        let pbs: Vec<PbDocument> = tx
            .user_pbs_on_charts(user, &charts)
            .await?
            .into_iter()
            .filter(|p| p.game == gpt.game() && p.playtype == gpt.playtype())
            .collect();
        // Tachi logs and skips a goal it cannot evaluate.
        let Some(new) = evaluate(gpt, &goal, charts.len(), &pbs) else {
            continue;
        };
        let old = stat_of_sub(&sub);
        if old.progress == new.progress && old.out_of == new.out_of {
            continue;
        }
        if let Some(obj) = sub.as_object_mut() {
            let time_achieved = match (new.achieved, obj.get("timeAchieved")) {
                (true, Some(t)) if !t.is_null() => t.clone(),
                (true, _) => json!(now),
                (false, _) => Value::Null,
            };
            obj.insert("progress".into(), json!(new.progress));
            obj.insert("progressHuman".into(), json!(new.progress_human));
            obj.insert("outOf".into(), json!(new.out_of));
            obj.insert("outOfHuman".into(), json!(new.out_of_human));
            obj.insert("achieved".into(), json!(new.achieved));
            obj.insert("timeAchieved".into(), time_achieved);
            obj.insert("lastInteraction".into(), json!(now));
            if old.achieved && !new.achieved {
                obj.insert("wasInstantlyAchieved".into(), json!(false));
            }
        }
        updated.push(sub);
        infos.push((GoalImportInfo { goal_id, old, new }, gpt));
    }
    if !updated.is_empty() {
        tx.put_goal_subscriptions(user, &updated).await?;
    }
    Ok(infos)
}

fn quest_goal_ids(quest: &Value) -> Vec<String> {
    quest
        .get("questData")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|section| section.get("goals").and_then(Value::as_array))
        .flatten()
        .filter_map(|g| g.get("goalID").and_then(Value::as_str).map(str::to_owned))
        .collect()
}

/// Updates the user's quests that contain a goal whose progress changed.
pub(crate) async fn process_quests<T: GoalStore>(
    tx: &mut T,
    user: UserId,
    game: Game,
    gpts: &[Gpt],
    changed_goals: &[String],
    now: i64,
) -> Result<Vec<(QuestImportInfo, Gpt)>, ImportError> {
    if changed_goals.is_empty() {
        return Ok(Vec::new());
    }
    let quests = tx.quests_containing(user, game, changed_goals).await?;
    let mut infos = Vec::new();
    let mut updated = Vec::new();
    for Subscription {
        document: quest,
        subscription: mut sub,
    } in quests
    {
        let Some(gpt) = gpt_of(&quest).filter(|g| gpts.contains(g)) else {
            continue;
        };
        let Some(quest_id) = quest
            .get("questID")
            .and_then(Value::as_str)
            .map(str::to_owned)
        else {
            continue;
        };
        let ids = quest_goal_ids(&quest);
        let achieved: HashSet<String> = tx
            .goal_subscriptions(user, &ids)
            .await?
            .iter()
            .filter(|s| s.get("achieved").and_then(Value::as_bool) == Some(true))
            .filter_map(|s| s.get("goalID").and_then(Value::as_str).map(str::to_owned))
            .collect();
        let progress = ids.iter().filter(|g| achieved.contains(*g)).count() as f64;
        let out_of = ids.len() as f64;
        let new = QuestImportStat {
            progress,
            achieved: progress >= out_of,
        };
        let old = QuestImportStat {
            progress: sub.get("progress").and_then(Value::as_f64).unwrap_or(0.0),
            achieved: sub
                .get("achieved")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        };
        if let Some(obj) = sub.as_object_mut() {
            obj.insert("progress".into(), json!(new.progress));
            obj.insert("achieved".into(), json!(new.achieved));
            if old.progress != new.progress {
                obj.insert("lastInteraction".into(), json!(now));
            }
            if new.achieved && !old.achieved {
                obj.insert("timeAchieved".into(), json!(now));
            }
        }
        updated.push(sub);
        if old.progress != new.progress {
            infos.push((QuestImportInfo { quest_id, old, new }, gpt));
        }
    }
    if !updated.is_empty() {
        tx.put_quest_subscriptions(user, &updated).await?;
    }
    Ok(infos)
}
