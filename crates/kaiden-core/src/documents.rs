//! Tachi's documents, with JSON field names exactly as Tachi's: songs and charts
//! (the seed files' shape), sessions, personal bests, and the ImportDocument.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::failure::ImportErrorEntry;
use crate::game::{Game, Gpt, Playtype};
use crate::import_type::ImportType;
use crate::score::{ScoreData, UserId};
use crate::score_ids::ScoreIds;

/// A tier-list placement on a chart (`ncTier`, `hcTier`, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tier {
    /// The tier's numeric value (used by ratings).
    pub value: f64,
    /// The tier's label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Whether the tier depends on the player.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub individual_difference: Option<bool>,
}

/// One id or several (IIDX and jubeat charts may carry several in-game ids).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany<T> {
    /// A single value.
    One(T),
    /// Several values.
    Many(Vec<T>),
}

impl<T: PartialEq> OneOrMany<T> {
    /// Whether `v` is the value or one of the values.
    pub fn contains(&self, v: &T) -> bool {
        match self {
            OneOrMany::One(x) => x == v,
            OneOrMany::Many(xs) => xs.contains(v),
        }
    }

    /// Every value.
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        match self {
            OneOrMany::One(x) => std::slice::from_ref(x).iter(),
            OneOrMany::Many(xs) => xs.iter(),
        }
    }
}

/// The fields of a document that its type does not name (older seed shapes'
/// `flags`, `rgcID`, ...), kept as they are for round trips. Held as one
/// compact JSON text, not a map: a catalogue holds tens of thousands of
/// charts, and a map of maps per chart was half of their memory. Reading a
/// field parses the text, so typed fields are for what the pipeline reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExtraFields(Option<Box<str>>);

impl ExtraFields {
    /// The fields of `map`.
    #[must_use]
    pub fn from_map(map: &Map<String, Value>) -> Self {
        if map.is_empty() {
            return ExtraFields(None);
        }
        ExtraFields(Some(
            Value::Object(map.clone()).to_string().into_boxed_str(),
        ))
    }

    /// The fields as a map (in the order they were read).
    #[must_use]
    pub fn to_map(&self) -> Map<String, Value> {
        self.0
            .as_deref()
            .and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or_default()
    }

    /// One field's value.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<Value> {
        if self.0.as_deref()?.contains(key) {
            self.to_map().remove(key)
        } else {
            None
        }
    }

    /// Whether there is no field.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }
}

impl From<Map<String, Value>> for ExtraFields {
    fn from(map: Map<String, Value>) -> Self {
        ExtraFields::from_map(&map)
    }
}

impl Serialize for ExtraFields {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_map().serialize(s)
    }
}

impl<'de> Deserialize<'de> for ExtraFields {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Map::<String, Value>::deserialize(d).map(|m| ExtraFields::from_map(&m))
    }
}

/// A chart's game-specific `data`. The fields the pipeline reads are typed; every
/// other field is kept in `extra`, so seeds of any date load and round-trip.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChartData {
    /// Notes on the chart (IIDX, BMS, PMS, Arcaea).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notecount: Option<f64>,
    /// Konami's numeric id (may be several for IIDX/jubeat).
    #[serde(default, rename = "inGameID", skip_serializing_if = "Option::is_none")]
    pub in_game_id: Option<OneOrMany<i64>>,
    /// A string in-game id (maimai, Arcaea).
    #[serde(
        default,
        rename = "inGameStrID",
        skip_serializing_if = "Option::is_none"
    )]
    pub in_game_str_id: Option<String>,
    /// BMS md5.
    #[serde(default, rename = "hashMD5", skip_serializing_if = "Option::is_none")]
    pub hash_md5: Option<String>,
    /// BMS / pop'n / IIDX sha256 (pop'n may carry several).
    #[serde(
        default,
        rename = "hashSHA256",
        skip_serializing_if = "Option::is_none"
    )]
    pub hash_sha256: Option<OneOrMany<String>>,
    /// USC sha1 (may be several).
    #[serde(default, rename = "hashSHA1", skip_serializing_if = "Option::is_none")]
    pub hash_sha1: Option<OneOrMany<String>>,
    /// ITG GrooveStats v3 hash.
    #[serde(default, rename = "hashGSv3", skip_serializing_if = "Option::is_none")]
    pub hash_gsv3: Option<String>,
    /// IIDX kaiden average EX (BPI).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kaiden_average: Option<f64>,
    /// IIDX world record EX (BPI).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub world_record: Option<f64>,
    /// IIDX BPI exponent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bpi_coefficient: Option<f64>,
    /// IIDX SP normal-clear tier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nc_tier: Option<Tier>,
    /// IIDX SP hard-clear tier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hc_tier: Option<Tier>,
    /// IIDX SP EX-hard-clear tier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exhc_tier: Option<Tier>,
    /// IIDX DP tier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dp_tier: Option<Tier>,
    /// BMS/PMS sieglinde easy-clear rating.
    #[serde(default, rename = "sglEC", skip_serializing_if = "Option::is_none")]
    pub sgl_ec: Option<f64>,
    /// BMS/PMS sieglinde hard-clear rating.
    #[serde(default, rename = "sglHC", skip_serializing_if = "Option::is_none")]
    pub sgl_hc: Option<f64>,
    /// maimai maximum percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_percent: Option<f64>,
    /// ONGEKI maximum platinum score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_plat_score: Option<f64>,
    /// DDR step count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_count: Option<f64>,
    /// ITG ranked block level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ranked_level: Option<f64>,
    /// ITG notes per second in each measure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nps_per_measure: Option<Vec<f64>>,
    /// ITG notes in each measure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes_per_measure: Option<Vec<f64>>,
    /// Every other field, kept as it is.
    #[serde(flatten)]
    pub extra: ExtraFields,
}

/// A chart as Tachi's seed files hold it (`charts-<game>.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChartDocument {
    /// Tachi's chart id (40 hex).
    #[serde(rename = "chartID")]
    pub chart_id: String,
    /// The song's id.
    #[serde(rename = "songID")]
    pub song_id: i64,
    /// The level as displayed.
    pub level: String,
    /// The level as a number (internal level for arcade games).
    pub level_num: f64,
    /// Whether this is the primary chart for its song/playtype/difficulty.
    pub is_primary: bool,
    /// The difficulty name.
    pub difficulty: String,
    /// The playtype.
    pub playtype: Playtype,
    /// Version ids the chart appears in.
    #[serde(default)]
    pub versions: Vec<String>,
    /// Game-specific data.
    #[serde(default)]
    pub data: ChartData,
    /// Fields of older seed shapes (`flags`, `rgcID`, ...), kept as they are.
    #[serde(flatten)]
    pub extra: ExtraFields,
}

/// A song as Tachi's seed files hold it (`songs-<game>.json`). Accepts the 2021
/// field names (`alt-titles`, `search-titles`) as well as today's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SongDocument {
    /// Tachi's song id.
    pub id: i64,
    /// The title.
    pub title: String,
    /// The artist.
    #[serde(default)]
    pub artist: String,
    /// Other titles the song is known by.
    #[serde(default, alias = "alt-titles")]
    pub alt_titles: Vec<String>,
    /// Search terms.
    #[serde(default, alias = "search-titles")]
    pub search_terms: Vec<String>,
    /// Game-specific data (`displayVersion`, `ddrSongHash`, `flareCategory`, ...).
    #[serde(default)]
    pub data: Map<String, Value>,
    /// Fields of older seed shapes (`firstVersion`, ...).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl SongDocument {
    /// A string field of `data`.
    #[must_use]
    pub fn data_str(&self, key: &str) -> Option<&str> {
        self.data.get(key).and_then(Value::as_str)
    }
}

/// A session: scores of one GPT played within 2 hours of each other.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionDocument {
    /// `Q` + 40 hex.
    #[serde(rename = "sessionID")]
    pub session_id: String,
    /// Whose session.
    #[serde(rename = "userID")]
    pub user_id: UserId,
    /// The game.
    pub game: Game,
    /// The playtype.
    pub playtype: Playtype,
    /// A generated name.
    pub name: String,
    /// A description, if the user gave one.
    pub desc: Option<String>,
    /// Highlighted by the user.
    pub highlight: bool,
    /// The session's scores.
    #[serde(rename = "scoreIDs")]
    pub score_ids: ScoreIds,
    /// When the session was created (ms).
    pub time_inserted: i64,
    /// Earliest score time (ms).
    pub time_started: i64,
    /// Latest score time (ms).
    pub time_ended: i64,
    /// Session ratings.
    pub calculated_data: BTreeMap<String, Option<f64>>,
}

/// Whether an import created a session or added to one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SessionInfoType {
    /// A new session.
    Created,
    /// Scores added to an existing session.
    Appended,
}

/// One `createdSessions` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// The session.
    #[serde(rename = "sessionID")]
    pub session_id: String,
    /// Created or appended.
    #[serde(rename = "type")]
    pub info_type: SessionInfoType,
}

/// Which score a PB field came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PbReference {
    /// The merge's name (`Best Score`, `Best Lamp`, `Lowest BP`, ...).
    pub name: String,
    /// The score.
    #[serde(rename = "scoreID")]
    pub score_id: String,
}

/// A PB's leaderboard placement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RankingData {
    /// 1-based rank on the chart.
    pub rank: u64,
    /// How many users have a PB on the chart.
    pub out_of: u64,
    /// Rank among the user's rivals.
    pub rival_rank: Option<u64>,
}

/// A personal best: the best of a user's scores on a chart, merged per game rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PbDocument {
    /// Whose PB.
    #[serde(rename = "userID")]
    pub user_id: UserId,
    /// The chart.
    #[serde(rename = "chartID")]
    pub chart_id: String,
    /// The song.
    #[serde(rename = "songID")]
    pub song_id: i64,
    /// The game.
    pub game: Game,
    /// The playtype.
    pub playtype: Playtype,
    /// The scores the PB was merged from.
    pub composed_from: Vec<PbReference>,
    /// Leaderboard placement.
    pub ranking_data: RankingData,
    /// OR of the merged scores' highlights.
    pub highlight: bool,
    /// Copied from the chart.
    pub is_primary: bool,
    /// The newest time among the merged scores.
    pub time_achieved: Option<i64>,
    /// Merged scoreData.
    pub score_data: ScoreData,
    /// Ratings recomputed from the merged scoreData.
    pub calculated_data: BTreeMap<crate::score::Key, Option<f64>>,
}

/// A change of a user's class (`classDeltas` entry).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassDelta {
    /// The game.
    pub game: Game,
    /// The class set (`dan`, `vfClass`, ...).
    pub set: String,
    /// The playtype.
    pub playtype: Playtype,
    /// The previous class id, if any.
    pub old: Option<String>,
    /// The new class id.
    pub new: String,
}

/// A chart a score hook described but the seeds lack, waiting for enough
/// players (Tachi's `orphan-chart-queue`): once `users` holds enough distinct
/// players, the song and chart are created and the waiting orphans imported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingChart {
    /// What identifies the chart in the queue (e.g. `bms:7K:<sha256>`).
    pub key: String,
    /// The chart's game and playtype.
    pub gpt: Gpt,
    /// The song as the hook described it (`id` assigned on creation).
    pub song: SongDocument,
    /// The chart as the hook described it (`songID` assigned on creation).
    pub chart: ChartDocument,
    /// The distinct players who sent a score on it, in order.
    #[serde(rename = "userIDs")]
    pub users: Vec<crate::score::UserId>,
    /// How many players create it.
    #[serde(default = "three")]
    pub players_needed: usize,
}

fn three() -> usize {
    3
}

/// A BMS course of the seeds' `bms-course-lookup.json`: clearing the four
/// charts whose md5s are concatenated in `md5sums` earns the class `value` of
/// `set` (`genocideDan`, `stslDan`, ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BmsCourse {
    /// The course's name.
    pub title: String,
    /// The charts' md5s, concatenated.
    pub md5sums: String,
    /// The class set.
    pub set: String,
    /// `7K` or `14K`.
    pub playtype: Playtype,
    /// The class id earned.
    pub value: String,
}

/// A goal's progress at one moment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GoalImportStat {
    /// Progress (e.g. the best EX so far); `None` when nothing counts yet.
    pub progress: Option<f64>,
    /// Progress as a player reads it.
    pub progress_human: String,
    /// The target.
    pub out_of: f64,
    /// The target as a player reads it.
    pub out_of_human: String,
    /// Whether the goal is achieved.
    pub achieved: bool,
}

/// One `goalInfo` entry: a goal whose progress changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoalImportInfo {
    /// `G` + 64 hex.
    #[serde(rename = "goalID")]
    pub goal_id: String,
    /// Before the import.
    pub old: GoalImportStat,
    /// After the import.
    pub new: GoalImportStat,
}

/// A quest's progress at one moment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestImportStat {
    /// Goals achieved.
    pub progress: f64,
    /// Whether the quest is achieved.
    pub achieved: bool,
}

/// One `questInfo` entry (called `milestoneInfo` in older clients).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestImportInfo {
    /// The quest's id.
    #[serde(rename = "questID", alias = "milestoneID")]
    pub quest_id: String,
    /// Before the import.
    pub old: QuestImportStat,
    /// After the import.
    pub new: QuestImportStat,
}

/// The result of one import, as Tachi's API returns it.
///
/// Serialises both field sets clients may know: current Tachi's (`game`,
/// `playtypes`, `gptStrings`, `questInfo`) and the older documented one
/// (`idStrings`, `milestoneInfo`). Deserialises either.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportDocument {
    /// 40 lowercase hex.
    pub import_id: String,
    /// The importing user.
    pub user_id: UserId,
    /// The import type.
    pub import_type: ImportType,
    /// The game (decided by the parser).
    pub game: Game,
    /// GPTs with at least one newly imported score, in first-seen order.
    pub gpts: Vec<Gpt>,
    /// Newly imported scores.
    pub score_ids: ScoreIds,
    /// One entry per failed record.
    pub errors: Vec<ImportErrorEntry>,
    /// ms, taken just before parsing.
    pub time_started: i64,
    /// ms, taken when the document was built.
    pub time_finished: i64,
    /// Sessions created or appended to.
    pub created_sessions: Vec<SessionInfo>,
    /// Class changes.
    pub class_deltas: Vec<ClassDelta>,
    /// Goals whose progress changed.
    pub goal_info: Vec<GoalImportInfo>,
    /// Quests whose progress changed.
    pub quest_info: Vec<QuestImportInfo>,
    /// Whether the user asked for this import themselves.
    pub user_intent: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ImportDocumentWire {
    #[serde(rename = "importID")]
    import_id: String,
    #[serde(rename = "userID")]
    user_id: UserId,
    import_type: ImportType,
    #[serde(default)]
    game: Option<Game>,
    /// Checked (each must be a playtype), not kept: `gptStrings` says more.
    #[serde(default, rename = "playtypes")]
    _playtypes: Option<Vec<Playtype>>,
    #[serde(default)]
    gpt_strings: Option<Vec<Gpt>>,
    #[serde(default)]
    id_strings: Option<Vec<Gpt>>,
    #[serde(rename = "scoreIDs")]
    score_ids: ScoreIds,
    errors: Vec<ImportErrorEntry>,
    time_started: i64,
    time_finished: i64,
    created_sessions: Vec<SessionInfo>,
    class_deltas: Vec<ClassDelta>,
    goal_info: Vec<GoalImportInfo>,
    #[serde(default)]
    quest_info: Option<Vec<QuestImportInfo>>,
    #[serde(default)]
    milestone_info: Option<Vec<QuestImportInfo>>,
    user_intent: bool,
}

/// [`ImportDocumentWire`] borrowed from the document: serialising a large
/// import copies none of its lists.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ImportDocumentWireRef<'a> {
    #[serde(rename = "importID")]
    import_id: &'a str,
    #[serde(rename = "userID")]
    user_id: UserId,
    import_type: ImportType,
    game: Game,
    playtypes: Playtypes<'a>,
    gpt_strings: &'a [Gpt],
    id_strings: &'a [Gpt],
    #[serde(rename = "scoreIDs")]
    score_ids: &'a ScoreIds,
    errors: &'a [ImportErrorEntry],
    time_started: i64,
    time_finished: i64,
    created_sessions: &'a [SessionInfo],
    class_deltas: &'a [ClassDelta],
    goal_info: &'a [GoalImportInfo],
    quest_info: &'a [QuestImportInfo],
    milestone_info: &'a [QuestImportInfo],
    user_intent: bool,
}

/// The playtypes of GPTs, serialised as a list.
struct Playtypes<'a>(&'a [Gpt]);

impl Serialize for Playtypes<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|g| g.playtype()))
    }
}

impl Serialize for ImportDocument {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ImportDocumentWireRef {
            import_id: &self.import_id,
            user_id: self.user_id,
            import_type: self.import_type,
            game: self.game,
            playtypes: Playtypes(&self.gpts),
            gpt_strings: &self.gpts,
            id_strings: &self.gpts,
            score_ids: &self.score_ids,
            errors: &self.errors,
            time_started: self.time_started,
            time_finished: self.time_finished,
            created_sessions: &self.created_sessions,
            class_deltas: &self.class_deltas,
            goal_info: &self.goal_info,
            quest_info: &self.quest_info,
            milestone_info: &self.quest_info,
            user_intent: self.user_intent,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for ImportDocument {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let w = ImportDocumentWire::deserialize(d)?;
        let gpts = w.gpt_strings.or(w.id_strings).unwrap_or_default();
        let game = match (w.game, gpts.first(), legacy_fixed_game(w.import_type)) {
            (Some(g), _, _) => g,
            (None, Some(gpt), _) => gpt.game(),
            (None, None, Some(g)) => g,
            (None, None, None) => {
                return Err(D::Error::custom(
                    "an ImportDocument needs `game`, or `gptStrings`/`idStrings` to infer it",
                ));
            }
        };
        if let Some(gpt) = gpts.iter().find(|g| g.game() != game) {
            return Err(D::Error::custom(format!(
                "gptStrings lists {gpt}, which is not a {game} GPT"
            )));
        }
        Ok(ImportDocument {
            import_id: w.import_id,
            user_id: w.user_id,
            import_type: w.import_type,
            game,
            gpts,
            score_ids: w.score_ids,
            errors: w.errors,
            time_started: w.time_started,
            time_finished: w.time_finished,
            created_sessions: w.created_sessions,
            class_deltas: w.class_deltas,
            goal_info: w.goal_info,
            quest_info: w.quest_info.or(w.milestone_info).unwrap_or_default(),
            user_intent: w.user_intent,
        })
    }
}

/// How long each step of an import took, in ms (Tachi's `import-timings`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportTimings {
    /// The import.
    #[serde(rename = "importID")]
    pub import_id: String,
    /// When the timings were taken (ms since epoch).
    pub timestamp: i64,
    /// Whole import.
    pub total: f64,
    /// Time per step, in ms, by step name (`parse`, `import`, `session`, `pb`,
    /// `ugs`, `goal`, `quest`, ...).
    pub abs: BTreeMap<String, f64>,
    /// Time per item, by step name.
    pub rel: BTreeMap<String, f64>,
}

/// A fresh goal subscription of `user` to `goal` (Tachi's `goal-subs`
/// document: no progress yet), set at `now_ms`. Every host subscribes with it.
#[must_use]
pub fn new_goal_subscription(user: UserId, goal: &Value, now_ms: i64) -> Value {
    serde_json::json!({
        "goalID": goal.get("goalID"), "userID": user, "game": goal.get("game"),
        "playtype": goal.get("playtype"),
        "achieved": false, "progress": null, "progressHuman": "NO DATA",
        "outOf": goal.pointer("/criteria/value"), "outOfHuman": "", "timeAchieved": null,
        "lastInteraction": null, "wasInstantlyAchieved": false, "wasAssigned": false,
        "wasAbandoned": false, "timeSet": now_ms
    })
}

/// A fresh quest subscription of `user` to `quest` (Tachi's `quest-subs`
/// document), set at `now_ms`. Every host subscribes with it.
#[must_use]
pub fn new_quest_subscription(user: UserId, quest: &Value, now_ms: i64) -> Value {
    serde_json::json!({
        "questID": quest.get("questID"), "userID": user, "game": quest.get("game"),
        "playtype": quest.get("playtype"),
        "achieved": false, "progress": 0, "timeAchieved": null, "lastInteraction": null,
        "timeSet": now_ms
    })
}

/// The chart ids a goal document names directly (`single`, `multi`), or the
/// folder id it names (`folder`), as Tachi's goal `charts` field gives them.
#[must_use]
pub fn goal_targets(goal: &Value) -> (Vec<String>, Option<String>) {
    let charts = goal.get("charts");
    let data = charts.and_then(|c| c.get("data"));
    match charts.and_then(|c| c.get("type")).and_then(Value::as_str) {
        Some("single") => (
            data.and_then(Value::as_str)
                .map(|s| vec![s.to_owned()])
                .unwrap_or_default(),
            None,
        ),
        Some("multi") => (
            data.and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
            None,
        ),
        Some("folder") => (Vec::new(), data.and_then(Value::as_str).map(str::to_owned)),
        _ => (Vec::new(), None),
    }
}

/// The goal ids a quest document lists (`questData[].goals[].goalID`).
#[must_use]
pub fn quest_goal_ids(quest: &Value) -> Vec<String> {
    quest
        .get("questData")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .flat_map(|section| {
            section
                .get("goals")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
        })
        .filter_map(|g| g.get("goalID").and_then(Value::as_str).map(str::to_owned))
        .collect()
}

/// The game a Tachi import type always imports, for reading back Tachi's
/// older ImportDocuments that name neither `game` nor any GPT (an import that
/// stored nothing). Other import types' documents always name their game.
fn legacy_fixed_game(t: ImportType) -> Option<Game> {
    let name = t.as_str();
    let rest = name.split_once('/').map_or(name, |(_, r)| r);
    [
        ("iidx", Game::Iidx),
        ("fervidex", Game::Iidx),
        ("solid-state-squad", Game::Iidx),
        ("sdvx", Game::Sdvx),
        ("barbatos", Game::Sdvx),
        ("kshook", Game::Sdvx),
        ("mypagescraper", Game::Wacca),
        ("wacca", Game::Wacca),
        ("chunithm", Game::Chunithm),
        ("maimaidx", Game::Maimaidx),
        ("ongeki", Game::Ongeki),
        ("jubeat", Game::Jubeat),
        ("museca", Game::Museca),
        ("popn", Game::Popn),
        ("lr2hook", Game::Bms),
        ("usc", Game::Usc),
    ]
    .into_iter()
    .find(|(k, _)| rest.contains(k))
    .filter(|_| t.is_tachi())
    .map(|(_, g)| g)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The field set of the ImportDocument example in Tachi's API docs (older
    /// names: `idStrings`, no `game`/`playtypes`), values our own.
    const DOCS_SHAPED: &str = r#"{
        "importType": "file/eamusement-iidx-csv",
        "idStrings": ["iidx:SP"],
        "scoreIDs": ["Tabc"],
        "errors": [],
        "importID": "0123456789abcdef0123456789abcdef01234567",
        "timeFinished": 1700000001000,
        "timeStarted": 1700000000000,
        "createdSessions": [{"sessionID": "Q0123456789abcdef0123456789abcdef01234567", "type": "Created"}],
        "userID": 1,
        "classDeltas": [],
        "goalInfo": [],
        "questInfo": [],
        "userIntent": false
    }"#;

    #[test]
    fn docs_example_round_trips_with_its_fields() {
        let doc: ImportDocument = serde_json::from_str(DOCS_SHAPED).expect("parses");
        assert_eq!(doc.game, Game::Iidx);
        assert_eq!(doc.gpts, vec![Gpt::IidxSp]);
        let out = serde_json::to_value(&doc).expect("serialises");
        let input: Value = serde_json::from_str(DOCS_SHAPED).expect("json");
        for (k, v) in input.as_object().expect("object") {
            assert_eq!(out.get(k), Some(v), "field {k}");
        }
        // Current Tachi's names too.
        assert_eq!(out["gptStrings"], serde_json::json!(["iidx:SP"]));
        assert_eq!(out["playtypes"], serde_json::json!(["SP"]));
        assert_eq!(out["game"], "iidx");
        assert_eq!(out["milestoneInfo"], serde_json::json!([]));
        let again: ImportDocument = serde_json::from_value(out).expect("re-parses");
        assert_eq!(again, doc);
    }

    #[test]
    fn an_import_serialises_its_fields_in_tachis_order_with_both_name_sets() {
        let doc: ImportDocument = serde_json::from_str(DOCS_SHAPED).expect("parses");
        let want = concat!(
            r#"{"importID":"0123456789abcdef0123456789abcdef01234567","userID":1,"#,
            r#""importType":"file/eamusement-iidx-csv","game":"iidx","playtypes":["SP"],"#,
            r#""gptStrings":["iidx:SP"],"idStrings":["iidx:SP"],"scoreIDs":["Tabc"],"errors":[],"#,
            r#""timeStarted":1700000000000,"timeFinished":1700000001000,"#,
            r#""createdSessions":[{"sessionID":"Q0123456789abcdef0123456789abcdef01234567","type":"Created"}],"#,
            r#""classDeltas":[],"goalInfo":[],"questInfo":[],"milestoneInfo":[],"userIntent":false}"#
        );
        assert_eq!(serde_json::to_string(&doc).expect("serialises"), want);
    }

    #[test]
    fn chart_documents_of_both_seed_shapes_load() {
        let old = r#"{"rgcID": null, "chartID": "e70c", "difficulty": "ANOTHER", "songID": 1815,
            "playtype": "SP", "levelNum": 11, "level": "11",
            "flags": {"IN BASE GAME": false}, "data": {"inGameID": 20045, "notecount": 1544, "arcChartID": null},
            "isPrimary": true, "versions": ["27-omni"]}"#;
        let c: ChartDocument = serde_json::from_str(old).expect("2021 shape");
        assert_eq!(c.data.notecount, Some(1544.0));
        assert_eq!(
            c.extra.get("flags"),
            Some(serde_json::json!({"IN BASE GAME": false}))
        );
        assert_eq!(c.extra.get("rgcID"), Some(Value::Null));
        assert_eq!(c.data.extra.get("arcChartID"), Some(Value::Null));
        assert_eq!(c.data.extra.get("inGameID"), None, "typed, not extra");
        assert_eq!(c.data.extra.get("missing"), None);
        assert!(ChartData::default().extra.is_empty());
        let v = serde_json::to_value(&c).expect("serialises");
        let back: ChartDocument = serde_json::from_value(v).expect("round-trips");
        assert_eq!(back, c);

        let song = r#"{"id": 1, "title": "A", "artist": "B", "alt-titles": ["a"], "search-titles": [], "firstVersion": "1", "data": {"genre": "G"}}"#;
        let s: SongDocument = serde_json::from_str(song).expect("2021 song shape");
        assert_eq!(s.alt_titles, vec!["a".to_owned()]);
        assert_eq!(s.data_str("genre"), Some("G"));
    }
}
