//! Import types: the `"<kind>/<name>"` strings that name a source of scores.
//!
//! [`ImportType`] is an open name: Tachi's 37 are constants here, and any crate
//! (an embedding server included) declares its own with [`ImportType::new`].
//! What a build *supports* is not decided here but by the pipeline's
//! `Registry`, which parses names against what is registered.

use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{PoisonError, RwLock};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::UnknownName;

/// How scores arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ImportKind {
    /// A file uploaded by the user (`file/...`).
    File,
    /// A score hook pushes scores to the server (`ir/...`).
    Ir,
    /// The server pulls scores from a third-party API (`api/...`).
    Api,
}

impl ImportKind {
    /// Every kind.
    pub const ALL: [ImportKind; 3] = [ImportKind::File, ImportKind::Ir, ImportKind::Api];

    /// The prefix before the slash.
    #[must_use]
    pub const fn prefix(self) -> &'static str {
        match self {
            ImportKind::File => "file",
            ImportKind::Ir => "ir",
            ImportKind::Api => "api",
        }
    }

    /// The kind a name's prefix names (`file/x` → `File`), if any.
    #[must_use]
    pub const fn of_name(name: &str) -> Option<ImportKind> {
        let b = name.as_bytes();
        if starts_with(b, b"file/") && b.len() > 5 {
            Some(ImportKind::File)
        } else if starts_with(b, b"ir/") && b.len() > 3 {
            Some(ImportKind::Ir)
        } else if starts_with(b, b"api/") && b.len() > 4 {
            Some(ImportKind::Api)
        } else {
            None
        }
    }
}

const fn starts_with(s: &[u8], p: &[u8]) -> bool {
    if s.len() < p.len() {
        return false;
    }
    let mut i = 0;
    while i < p.len() {
        if s[i] != p[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The name of an import type, e.g. `file/batch-manual`: `file/`, `ir/` or
/// `api/` and a non-empty name. Copy, compared and hashed by its text.
///
/// ```
/// use kaiden_core::{ImportKind, ImportType};
/// const MINE: ImportType = ImportType::new("file/my-scores-csv");
/// assert_eq!(MINE.kind(), ImportKind::File);
/// assert_eq!(ImportType::FILE_BATCH_MANUAL.as_str(), "file/batch-manual");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ImportType(&'static str);

impl ImportType {
    /// An import type named `name`. Panics (at compile time in a `const`) when
    /// the name does not start with `file/`, `ir/` or `api/`.
    #[must_use]
    pub const fn new(name: &'static str) -> Self {
        match ImportKind::of_name(name) {
            Some(_) => ImportType(name),
            None => panic!("an import type is `file/…`, `ir/…` or `api/…`"),
        }
    }

    /// An import type named `name`, or `None` when the prefix is not one of
    /// `file/`, `ir/`, `api/`.
    #[must_use]
    pub const fn try_new(name: &'static str) -> Option<Self> {
        match ImportKind::of_name(name) {
            Some(_) => Some(ImportType(name)),
            None => None,
        }
    }

    /// The exact string, e.g. `file/batch-manual`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        self.0
    }

    /// File, IR or API: read from the prefix.
    #[must_use]
    pub const fn kind(self) -> ImportKind {
        match ImportKind::of_name(self.0) {
            Some(k) => k,
            // `new` and `try_new` accept only the three prefixes.
            None => ImportKind::File,
        }
    }

    /// Whether this is one of the import types Tachi itself knows.
    #[must_use]
    pub fn is_tachi(self) -> bool {
        ImportType::TACHI.contains(&self)
    }

    /// Tachi's import types of one kind, in Tachi's order.
    pub fn tachi_of_kind(kind: ImportKind) -> impl Iterator<Item = ImportType> {
        ImportType::TACHI
            .into_iter()
            .filter(move |t| t.kind() == kind)
    }

    /// Makes a name known to [`FromStr`] and serde in this process (the
    /// pipeline's `Registry` declares every type it registers), so documents
    /// naming it can be read back. Tachi's are always known.
    pub fn declare(self) {
        if self.is_tachi() {
            return;
        }
        let mut d = DECLARED.write().unwrap_or_else(PoisonError::into_inner);
        if !d.contains(&self) {
            d.push(self);
        }
    }

    /// Every name known in this process: Tachi's, then those declared.
    #[must_use]
    pub fn known() -> Vec<ImportType> {
        let d = DECLARED.read().unwrap_or_else(PoisonError::into_inner);
        ImportType::TACHI.iter().chain(d.iter()).copied().collect()
    }

    /// Finds `name` among `candidates`; otherwise the error lists the
    /// candidates of the kind the name's prefix names (all of them when it
    /// names none).
    pub fn find_in(name: &str, candidates: &[ImportType]) -> Result<ImportType, UnknownName> {
        if let Some(t) = candidates.iter().find(|t| t.as_str() == name) {
            return Ok(*t);
        }
        let kind = ImportKind::of_name(name);
        let expected = candidates
            .iter()
            .filter(|t| kind.is_none_or(|k| t.kind() == k))
            .map(|t| t.as_str())
            .collect();
        Err(UnknownName {
            what: "import type",
            given: name.to_owned(),
            expected,
        })
    }
}

static DECLARED: RwLock<Vec<ImportType>> = RwLock::new(Vec::new());

macro_rules! tachi_import_types {
    ($($(#[$m:meta])* $name:ident => $s:literal;)+) => {
        impl ImportType {
            $($(#[$m])* pub const $name: ImportType = ImportType::new($s);)+
            /// Every import type Tachi knows (7 `file/`, 9 `ir/`, 21 `api/`), in Tachi's order.
            pub const TACHI: [ImportType; [$($s),+].len()] = [$(ImportType::$name),+];
        }
    };
}

tachi_import_types! {
    /// BATCH-MANUAL JSON, uploaded as a file.
    FILE_BATCH_MANUAL => "file/batch-manual";
    /// e-amusement IIDX score CSV.
    FILE_EAMUSEMENT_IIDX_CSV => "file/eamusement-iidx-csv";
    /// e-amusement SDVX score CSV.
    FILE_EAMUSEMENT_SDVX_CSV => "file/eamusement-sdvx-csv";
    /// WACCA MyPage scraper player CSV (stage-up class only).
    FILE_MYPAGESCRAPER_PLAYER_CSV => "file/mypagescraper-player-csv";
    /// WACCA MyPage scraper records CSV.
    FILE_MYPAGESCRAPER_RECORDS_CSV => "file/mypagescraper-records-csv";
    /// PLI IIDX CSV (the e-amusement layout, service "PLI").
    FILE_PLI_IIDX_CSV => "file/pli-iidx-csv";
    /// Solid State Squad XML export.
    FILE_SOLID_STATE_SQUAD => "file/solid-state-squad";
    /// Barbatos score hook.
    IR_BARBATOS => "ir/barbatos";
    /// beatoraja IR.
    IR_BEATORAJA => "ir/beatoraja";
    /// BATCH-MANUAL sent as a request body.
    IR_DIRECT_MANUAL => "ir/direct-manual";
    /// Fervidex score hook.
    IR_FERVIDEX => "ir/fervidex";
    /// Fervidex profile (static) import.
    IR_FERVIDEX_STATIC => "ir/fervidex-static";
    /// KsHook SV6C score hook.
    IR_KSHOOK_SV6C => "ir/kshook-sv6c";
    /// KsHook SV6C static export.
    IR_KSHOOK_SV6C_STATIC => "ir/kshook-sv6c-static";
    /// LR2hook.
    IR_LR2HOOK => "ir/lr2hook";
    /// USC IR.
    IR_USC => "ir/usc";
    /// EAG IIDX API.
    API_EAG_IIDX => "api/eag-iidx";
    /// EAG SDVX API.
    API_EAG_SDVX => "api/eag-sdvx";
    /// FLO IIDX API.
    API_FLO_IIDX => "api/flo-iidx";
    /// FLO SDVX API.
    API_FLO_SDVX => "api/flo-sdvx";
    /// MIN SDVX API.
    API_MIN_SDVX => "api/min-sdvx";
    /// MYT CHUNITHM API.
    API_MYT_CHUNITHM => "api/myt-chunithm";
    /// MYT maimai DX API.
    API_MYT_MAIMAIDX => "api/myt-maimaidx";
    /// MYT O.N.G.E.K.I. API.
    API_MYT_ONGEKI => "api/myt-ongeki";
    /// MYT WACCA API.
    API_MYT_WACCA => "api/myt-wacca";
    /// CG dev jubeat API.
    API_CG_DEV_JUBEAT => "api/cg-dev-jubeat";
    /// CG dev MÚSECA API.
    API_CG_DEV_MUSECA => "api/cg-dev-museca";
    /// CG dev pop'n API.
    API_CG_DEV_POPN => "api/cg-dev-popn";
    /// CG dev SDVX API.
    API_CG_DEV_SDVX => "api/cg-dev-sdvx";
    /// CG gan jubeat API.
    API_CG_GAN_JUBEAT => "api/cg-gan-jubeat";
    /// CG gan MÚSECA API.
    API_CG_GAN_MUSECA => "api/cg-gan-museca";
    /// CG gan pop'n API.
    API_CG_GAN_POPN => "api/cg-gan-popn";
    /// CG gan SDVX API.
    API_CG_GAN_SDVX => "api/cg-gan-sdvx";
    /// CG nag jubeat API.
    API_CG_NAG_JUBEAT => "api/cg-nag-jubeat";
    /// CG nag MÚSECA API.
    API_CG_NAG_MUSECA => "api/cg-nag-museca";
    /// CG nag pop'n API.
    API_CG_NAG_POPN => "api/cg-nag-popn";
    /// CG nag SDVX API.
    API_CG_NAG_SDVX => "api/cg-nag-sdvx";
}

impl fmt::Debug for ImportType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ImportType({:?})", self.0)
    }
}

impl fmt::Display for ImportType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl FromStr for ImportType {
    type Err = UnknownName;

    /// Parses a name known in this process ([`ImportType::known`]). An unknown
    /// name is an error listing the known ones of its kind. A server deciding
    /// what it accepts asks its `Registry` instead.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some(t) = ImportType::TACHI.iter().find(|t| t.as_str() == s) {
            return Ok(*t);
        }
        ImportType::find_in(s, &ImportType::known())
    }
}

impl Serialize for ImportType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

/// At most this many names not declared in the process are kept when stored
/// documents name them (see [`Deserialize`] below), so reading hostile data
/// cannot grow memory without bound.
const MAX_UNDECLARED: usize = 256;

/// How many names [`ImportType::undeclared`] has kept (changed only under
/// `DECLARED`'s write lock).
static KEPT: AtomicUsize = AtomicUsize::new(0);

impl ImportType {
    /// A well-formed name read from a stored document that no registry in this
    /// process declared (a document written by a build with more import
    /// types): kept, so the document still reads back, up to [`MAX_UNDECLARED`]
    /// distinct names.
    fn undeclared(name: &str) -> Option<ImportType> {
        ImportKind::of_name(name)?;
        let mut d = DECLARED.write().unwrap_or_else(PoisonError::into_inner);
        if let Some(t) = d.iter().find(|t| t.as_str() == name) {
            return Some(*t);
        }
        // Only names kept here count against the bound, not registered ones.
        if KEPT.load(Ordering::Relaxed) >= MAX_UNDECLARED {
            return None;
        }
        KEPT.fetch_add(1, Ordering::Relaxed);
        let t = ImportType(Box::leak(name.to_owned().into_boxed_str()));
        d.push(t);
        Some(t)
    }
}

impl<'de> Deserialize<'de> for ImportType {
    /// Reads a known name; a well-formed name no registry declared (a stored
    /// document written by a build with more import types) is kept too, so
    /// listings of stored imports never fail on it. Parsing user input
    /// ([`FromStr`], `Registry::parse`) accepts known names only.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        match s.parse() {
            Ok(t) => Ok(t),
            Err(e) => ImportType::undeclared(&s).ok_or_else(|| serde::de::Error::custom(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirty_seven_types_in_three_kinds() {
        assert_eq!(ImportType::TACHI.len(), 37);
        assert_eq!(ImportType::tachi_of_kind(ImportKind::File).count(), 7);
        assert_eq!(ImportType::tachi_of_kind(ImportKind::Ir).count(), 9);
        assert_eq!(ImportType::tachi_of_kind(ImportKind::Api).count(), 21);
    }

    #[test]
    fn every_string_round_trips() {
        for t in ImportType::TACHI {
            let s = t.to_string();
            assert!(s.starts_with(t.kind().prefix()));
            assert_eq!(s.parse::<ImportType>().expect("round-trips"), t);
            let json = serde_json::to_string(&t).expect("serialises");
            assert_eq!(
                serde_json::from_str::<ImportType>(&json).expect("parses"),
                t
            );
        }
    }

    #[test]
    fn unknown_type_lists_its_kind() {
        let err = "file/eamusement-iidx"
            .parse::<ImportType>()
            .expect_err("unknown");
        assert!(err.to_string().contains("file/eamusement-iidx-csv"));
        assert!(!err.to_string().contains("api/"));
        let err = "nonsense".parse::<ImportType>().expect_err("unknown");
        assert!(err.expected.len() >= 37);
    }

    #[test]
    fn a_declared_type_reads_back_and_its_kind_is_its_prefix() {
        const MINE: ImportType = ImportType::new("ir/kaiden-unit-test-hook");
        assert_eq!(MINE.kind(), ImportKind::Ir);
        assert!(!MINE.is_tachi());
        assert!("ir/kaiden-unit-test-hook".parse::<ImportType>().is_err());
        MINE.declare();
        MINE.declare();
        assert_eq!(
            "ir/kaiden-unit-test-hook"
                .parse::<ImportType>()
                .expect("declared"),
            MINE
        );
        let json = serde_json::to_string(&MINE).expect("serialises");
        assert_eq!(
            serde_json::from_str::<ImportType>(&json).expect("parses"),
            MINE
        );
        assert_eq!(
            ImportType::known().iter().filter(|t| **t == MINE).count(),
            1
        );
    }

    #[test]
    fn stored_documents_naming_an_undeclared_type_read_back() {
        let name = "api/kaiden-unit-test-elsewhere";
        assert!(name.parse::<ImportType>().is_err());
        let t: ImportType =
            serde_json::from_str(&format!("{name:?}")).expect("a stored name reads back");
        assert_eq!(t.as_str(), name);
        assert_eq!(t.kind(), ImportKind::Api);
        // Read twice, kept once.
        let again: ImportType = serde_json::from_str(&format!("{name:?}")).expect("again");
        assert_eq!(again, t);
        assert_eq!(
            ImportType::known()
                .iter()
                .filter(|k| k.as_str() == name)
                .count(),
            1
        );
        // A name without a kind is refused even from a document.
        assert!(serde_json::from_str::<ImportType>("\"xml/s3\"").is_err());
    }

    #[test]
    fn undeclared_names_kept_from_documents_are_bounded() {
        let read = |i: usize| serde_json::from_str::<ImportType>(&format!("\"ir/kaiden-cap-{i}\""));
        let kept = (0..MAX_UNDECLARED + 10)
            .filter(|i| read(*i).is_ok())
            .count();
        assert!(kept < MAX_UNDECLARED + 10, "{kept}");
        assert!(read(MAX_UNDECLARED + 9).is_err());
    }

    #[test]
    fn names_without_a_kind_are_refused() {
        assert!(ImportType::try_new("batch-manual").is_none());
        assert!(ImportType::try_new("file/").is_none());
        assert!(ImportType::try_new("api/x").is_some());
        assert!(std::panic::catch_unwind(|| ImportType::new("xml/s3")).is_err());
    }
}
