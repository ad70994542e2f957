//! Progress reports, for a CLI's bar and a server's poll-status answer.

/// The step an import is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Step {
    /// Reading the input.
    Parsing,
    /// Converting, resolving, validating and storing scores.
    Importing,
    /// Grouping scores into sessions.
    Sessions,
    /// Updating personal bests.
    PersonalBests,
    /// Profile ratings and classes.
    Stats,
    /// Goals.
    Goals,
    /// Quests.
    Quests,
    /// Writing the ImportDocument.
    Finalising,
    /// Re-processing orphans.
    Orphans,
}

/// A snapshot of an import's progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProgress {
    /// The current step.
    pub step: Step,
    /// Records read so far.
    pub records: u64,
    /// New scores stored so far.
    pub imported: u64,
    /// Bytes of input consumed so far, when the format knows.
    pub bytes: Option<u64>,
    /// The input's size, when it has one.
    pub total_bytes: Option<u64>,
}

impl ImportProgress {
    /// Tachi's progress description for this step (its poll-status strings).
    #[must_use]
    pub fn description(&self) -> String {
        match self.step {
            Step::Parsing => "Parsing score data.".to_owned(),
            Step::Importing => format!("Imported {} scores.", self.imported),
            Step::Sessions => "Inserting Sessions.".to_owned(),
            Step::PersonalBests => "Processing scores and updating PBs.".to_owned(),
            Step::Stats => "Updating profile statistics.".to_owned(),
            Step::Goals => "Updating Goals.".to_owned(),
            Step::Quests => "Updating Quests.".to_owned(),
            Step::Finalising => "Finalising Import.".to_owned(),
            Step::Orphans => format!("Reprocessed {} orphan scores.", self.records),
        }
    }
}

/// Receives progress reports. Called from the importing task; keep it cheap.
pub trait Progress: Send + Sync {
    /// A new snapshot.
    fn update(&self, progress: &ImportProgress);
}

/// Ignores progress.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn update(&self, _: &ImportProgress) {}
}

impl<F: Fn(&ImportProgress) + Send + Sync> Progress for F {
    fn update(&self, progress: &ImportProgress) {
        self(progress);
    }
}
