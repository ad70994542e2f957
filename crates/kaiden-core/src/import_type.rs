//! Import types: the `"<kind>/<name>"` strings that name a source of scores.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::UnknownName;
use crate::game::Game;

/// How scores arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImportKind {
    /// A file uploaded by the user (`file/...`).
    File,
    /// A score hook pushes scores to the server (`ir/...`).
    Ir,
    /// The server pulls scores from a third-party API (`api/...`).
    Api,
}

impl ImportKind {
    /// The prefix before the slash.
    #[must_use]
    pub const fn prefix(self) -> &'static str {
        match self {
            ImportKind::File => "file",
            ImportKind::Ir => "ir",
            ImportKind::Api => "api",
        }
    }
}

macro_rules! import_types {
    ($($(#[$m:meta])* $variant:ident => $s:literal, $kind:ident, $game:expr;)+) => {
        /// Every import type Tachi knows (7 `file/`, 9 `ir/`, 21 `api/`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum ImportType {
            $($(#[$m])* $variant,)+
        }

        impl ImportType {
            /// Every import type, in Tachi's order.
            pub const ALL: [ImportType; [$($s),+].len()] = [$(ImportType::$variant),+];

            /// The exact string Tachi uses, e.g. `file/batch-manual`.
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self { $(ImportType::$variant => $s,)+ }
            }

            /// File, IR or API.
            #[must_use]
            pub const fn kind(self) -> ImportKind {
                match self { $(ImportType::$variant => ImportKind::$kind,)+ }
            }

            /// The game this import type always imports, or `None` when the source
            /// decides (BATCH-MANUAL names its game in `meta.game`).
            #[must_use]
            pub const fn fixed_game(self) -> Option<Game> {
                match self { $(ImportType::$variant => $game,)+ }
            }
        }
    };
}

import_types! {
    /// BATCH-MANUAL JSON, uploaded as a file.
    FileBatchManual => "file/batch-manual", File, None;
    /// e-amusement IIDX score CSV.
    FileEamusementIidxCsv => "file/eamusement-iidx-csv", File, Some(Game::Iidx);
    /// e-amusement SDVX score CSV.
    FileEamusementSdvxCsv => "file/eamusement-sdvx-csv", File, Some(Game::Sdvx);
    /// WACCA MyPage scraper player CSV (stage-up class only).
    FileMypagescraperPlayerCsv => "file/mypagescraper-player-csv", File, Some(Game::Wacca);
    /// WACCA MyPage scraper records CSV.
    FileMypagescraperRecordsCsv => "file/mypagescraper-records-csv", File, Some(Game::Wacca);
    /// PLI IIDX CSV (the e-amusement layout, service "PLI").
    FilePliIidxCsv => "file/pli-iidx-csv", File, Some(Game::Iidx);
    /// Solid State Squad XML export.
    FileSolidStateSquad => "file/solid-state-squad", File, Some(Game::Iidx);
    /// Barbatos score hook.
    IrBarbatos => "ir/barbatos", Ir, Some(Game::Sdvx);
    /// beatoraja IR.
    IrBeatoraja => "ir/beatoraja", Ir, None;
    /// BATCH-MANUAL sent as a request body.
    IrDirectManual => "ir/direct-manual", Ir, None;
    /// Fervidex score hook.
    IrFervidex => "ir/fervidex", Ir, Some(Game::Iidx);
    /// Fervidex profile (static) import.
    IrFervidexStatic => "ir/fervidex-static", Ir, Some(Game::Iidx);
    /// KsHook SV6C score hook.
    IrKshookSv6c => "ir/kshook-sv6c", Ir, Some(Game::Sdvx);
    /// KsHook SV6C static export.
    IrKshookSv6cStatic => "ir/kshook-sv6c-static", Ir, Some(Game::Sdvx);
    /// LR2hook.
    IrLr2hook => "ir/lr2hook", Ir, Some(Game::Bms);
    /// USC IR.
    IrUsc => "ir/usc", Ir, Some(Game::Usc);
    /// EAG IIDX API.
    ApiEagIidx => "api/eag-iidx", Api, Some(Game::Iidx);
    /// EAG SDVX API.
    ApiEagSdvx => "api/eag-sdvx", Api, Some(Game::Sdvx);
    /// FLO IIDX API.
    ApiFloIidx => "api/flo-iidx", Api, Some(Game::Iidx);
    /// FLO SDVX API.
    ApiFloSdvx => "api/flo-sdvx", Api, Some(Game::Sdvx);
    /// MIN SDVX API.
    ApiMinSdvx => "api/min-sdvx", Api, Some(Game::Sdvx);
    /// MYT CHUNITHM API.
    ApiMytChunithm => "api/myt-chunithm", Api, Some(Game::Chunithm);
    /// MYT maimai DX API.
    ApiMytMaimaidx => "api/myt-maimaidx", Api, Some(Game::Maimaidx);
    /// MYT O.N.G.E.K.I. API.
    ApiMytOngeki => "api/myt-ongeki", Api, Some(Game::Ongeki);
    /// MYT WACCA API.
    ApiMytWacca => "api/myt-wacca", Api, Some(Game::Wacca);
    /// CG dev jubeat API.
    ApiCgDevJubeat => "api/cg-dev-jubeat", Api, Some(Game::Jubeat);
    /// CG dev MÚSECA API.
    ApiCgDevMuseca => "api/cg-dev-museca", Api, Some(Game::Museca);
    /// CG dev pop'n API.
    ApiCgDevPopn => "api/cg-dev-popn", Api, Some(Game::Popn);
    /// CG dev SDVX API.
    ApiCgDevSdvx => "api/cg-dev-sdvx", Api, Some(Game::Sdvx);
    /// CG gan jubeat API.
    ApiCgGanJubeat => "api/cg-gan-jubeat", Api, Some(Game::Jubeat);
    /// CG gan MÚSECA API.
    ApiCgGanMuseca => "api/cg-gan-museca", Api, Some(Game::Museca);
    /// CG gan pop'n API.
    ApiCgGanPopn => "api/cg-gan-popn", Api, Some(Game::Popn);
    /// CG gan SDVX API.
    ApiCgGanSdvx => "api/cg-gan-sdvx", Api, Some(Game::Sdvx);
    /// CG nag jubeat API.
    ApiCgNagJubeat => "api/cg-nag-jubeat", Api, Some(Game::Jubeat);
    /// CG nag MÚSECA API.
    ApiCgNagMuseca => "api/cg-nag-museca", Api, Some(Game::Museca);
    /// CG nag pop'n API.
    ApiCgNagPopn => "api/cg-nag-popn", Api, Some(Game::Popn);
    /// CG nag SDVX API.
    ApiCgNagSdvx => "api/cg-nag-sdvx", Api, Some(Game::Sdvx);
}

impl ImportType {
    /// The import types of one kind, in Tachi's order.
    pub fn of_kind(kind: ImportKind) -> impl Iterator<Item = ImportType> {
        ImportType::ALL
            .into_iter()
            .filter(move |t| t.kind() == kind)
    }
}

impl fmt::Display for ImportType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ImportType {
    type Err = UnknownName;

    /// Parses the exact Tachi string. An unknown string is an error listing the
    /// valid import types of its kind (or all of them when the prefix is unknown).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some(t) = ImportType::ALL.into_iter().find(|t| t.as_str() == s) {
            return Ok(t);
        }
        let kind = [ImportKind::File, ImportKind::Ir, ImportKind::Api]
            .into_iter()
            .find(|k| {
                s.strip_prefix(k.prefix())
                    .is_some_and(|r| r.starts_with('/'))
            });
        let expected = match kind {
            Some(k) => ImportType::of_kind(k).map(ImportType::as_str).collect(),
            None => ImportType::ALL.iter().map(|t| t.as_str()).collect(),
        };
        Err(UnknownName {
            what: "import type",
            given: s.to_owned(),
            expected,
        })
    }
}

impl Serialize for ImportType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ImportType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirty_seven_types_in_three_kinds() {
        assert_eq!(ImportType::ALL.len(), 37);
        assert_eq!(ImportType::of_kind(ImportKind::File).count(), 7);
        assert_eq!(ImportType::of_kind(ImportKind::Ir).count(), 9);
        assert_eq!(ImportType::of_kind(ImportKind::Api).count(), 21);
    }

    #[test]
    fn every_string_round_trips() {
        for t in ImportType::ALL {
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
        assert_eq!(err.expected.len(), 7);
        assert!(err.to_string().contains("file/eamusement-iidx-csv"));
        assert!(!err.to_string().contains("api/"));
        let err = "nonsense".parse::<ImportType>().expect_err("unknown");
        assert_eq!(err.expected.len(), 37);
    }
}
