//! Events an import gives rise to, handed to an [`ImportObserver`] only after
//! the import's transaction has committed: a rolled-back import gives none.
//! The shapes are Tachi's webhook events (`class-update/v1`,
//! `goals-achieved/v1`, `quest-achieved/v1`, from `tachi-common`'s
//! `webhooks.ts`), plus `import-finished/v1` for every import that
//! committed.

use kaiden_core::documents::{GoalImportStat, QuestImportStat};
use kaiden_core::game::Playtype;

use super::*;

/// One event, serialised as Tachi's webhook payload `{type, content}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", content = "content")]
#[non_exhaustive]
pub enum ImportEvent {
    /// A class went up (or was set for the first time).
    #[serde(rename = "class-update/v1")]
    ClassUpdate(ClassUpdate),
    /// Goals were newly achieved (one event per import and game).
    #[serde(rename = "goals-achieved/v1")]
    GoalsAchieved(GoalsAchieved),
    /// A quest was newly achieved.
    #[serde(rename = "quest-achieved/v1")]
    QuestAchieved(QuestAchieved),
    /// An import committed.
    #[serde(rename = "import-finished/v1")]
    ImportFinished(ImportFinished),
}

impl ImportEvent {
    /// The event's `type`.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            ImportEvent::ClassUpdate(_) => "class-update/v1",
            ImportEvent::GoalsAchieved(_) => "goals-achieved/v1",
            ImportEvent::QuestAchieved(_) => "quest-achieved/v1",
            ImportEvent::ImportFinished(_) => "import-finished/v1",
        }
    }
}

/// `class-update/v1`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassUpdate {
    /// The user.
    #[serde(rename = "userID")]
    pub user_id: UserId,
    /// The class set (`dan`, ...).
    pub set: String,
    /// The class before, if there was one.
    pub old: Option<String>,
    /// The class now.
    pub new: String,
    /// The game.
    pub game: Game,
    /// The playtype.
    pub playtype: Playtype,
}

/// `goals-achieved/v1`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoalsAchieved {
    /// The user.
    #[serde(rename = "userID")]
    pub user_id: UserId,
    /// The game.
    pub game: Game,
    /// The goals newly achieved.
    pub goals: Vec<AchievedGoal>,
}

/// A goal of [`GoalsAchieved`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AchievedGoal {
    /// The goal.
    #[serde(rename = "goalID")]
    pub goal_id: String,
    /// Its progress before.
    pub old: GoalImportStat,
    /// Its progress now.
    pub new: GoalImportStat,
    /// The goal's playtype.
    pub playtype: Playtype,
}

/// `quest-achieved/v1`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestAchieved {
    /// The user.
    #[serde(rename = "userID")]
    pub user_id: UserId,
    /// The quest.
    #[serde(rename = "questID")]
    pub quest_id: String,
    /// Its progress before.
    pub old: QuestImportStat,
    /// Its progress now.
    pub new: QuestImportStat,
    /// The game.
    pub game: Game,
    /// The quest's playtype.
    pub playtype: Playtype,
}

/// `import-finished/v1`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportFinished {
    /// The user.
    #[serde(rename = "userID")]
    pub user_id: UserId,
    /// The import.
    #[serde(rename = "importID")]
    pub import_id: String,
    /// Its type.
    #[serde(rename = "importType")]
    pub import_type: ImportType,
    /// The game.
    pub game: Game,
    /// How many scores it stored.
    pub scores: usize,
    /// How many records failed.
    pub errors: usize,
}

/// Receives the events of committed imports ([`import_observed`]). Called on
/// the importing task, after the commit: it must not block (queue the event
/// and return).
pub trait ImportObserver: Send + Sync {
    /// One event.
    fn observe(&self, event: &ImportEvent);
}

/// An observer that ignores every event.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoObserver;

impl ImportObserver for NoObserver {
    fn observe(&self, _event: &ImportEvent) {}
}

/// The events of an import: its class deltas, its newly achieved goals and
/// quests (`goal_gpts` and `quest_gpts` give each one's GPT, in the
/// document's order), and that it finished.
pub(crate) fn events_of(
    doc: &ImportDocument,
    goal_gpts: &[Gpt],
    quest_gpts: &[Gpt],
) -> Vec<ImportEvent> {
    let mut out = achievements(
        doc.user_id,
        doc.game,
        &doc.class_deltas,
        &doc.goal_info,
        goal_gpts,
        &doc.quest_info,
        quest_gpts,
    );
    out.push(ImportEvent::ImportFinished(ImportFinished {
        user_id: doc.user_id,
        import_id: doc.import_id.clone(),
        import_type: doc.import_type,
        game: doc.game,
        scores: doc.score_ids.len(),
        errors: doc.errors.len(),
    }));
    out
}

/// The class updates and newly achieved goals and quests of what the
/// post-import steps changed (an import's, or orphan re-processing's, which
/// has no ImportDocument and so no `import-finished`).
pub(crate) fn achievements(
    user: UserId,
    game: Game,
    class_deltas: &[kaiden_core::documents::ClassDelta],
    goal_info: &[kaiden_core::documents::GoalImportInfo],
    goal_gpts: &[Gpt],
    quest_info: &[kaiden_core::documents::QuestImportInfo],
    quest_gpts: &[Gpt],
) -> Vec<ImportEvent> {
    let mut out: Vec<ImportEvent> = class_deltas
        .iter()
        .map(|d| {
            ImportEvent::ClassUpdate(ClassUpdate {
                user_id: user,
                set: d.set.clone(),
                old: d.old.clone(),
                new: d.new.clone(),
                game: d.game,
                playtype: d.playtype,
            })
        })
        .collect();
    let goals: Vec<AchievedGoal> = goal_info
        .iter()
        .zip(goal_gpts)
        .filter(|(g, _)| g.new.achieved && !g.old.achieved)
        .map(|(g, gpt)| AchievedGoal {
            goal_id: g.goal_id.clone(),
            old: g.old.clone(),
            new: g.new.clone(),
            playtype: gpt.playtype(),
        })
        .collect();
    if !goals.is_empty() {
        out.push(ImportEvent::GoalsAchieved(GoalsAchieved {
            user_id: user,
            game,
            goals,
        }));
    }
    for (q, gpt) in quest_info.iter().zip(quest_gpts) {
        if q.new.achieved && !q.old.achieved {
            out.push(ImportEvent::QuestAchieved(QuestAchieved {
                user_id: user,
                quest_id: q.quest_id.clone(),
                old: q.old.clone(),
                new: q.new.clone(),
                game: gpt.game(),
                playtype: gpt.playtype(),
            }));
        }
    }
    out
}
