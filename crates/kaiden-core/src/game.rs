//! Games, playtypes and game+playtype pairs (GPTs).

use crate::error::UnknownName;

macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        $name:ident, $what:literal {
            $($(#[$vmeta:meta])* $variant:ident => $s:literal,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: [$name; [$($s),+].len()] = [$($name::$variant),+];

            /// The exact string Tachi uses.
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $s,)+
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::error::UnknownName;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($s => Ok($name::$variant),)+
                    _ => Err($crate::error::UnknownName {
                        what: $what,
                        given: s.to_owned(),
                        expected: $name::ALL.iter().map(|v| v.as_str()).collect(),
                    }),
                }
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <::std::borrow::Cow<'de, str> as ::serde::Deserialize<'de>>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use string_enum;

string_enum! {
    /// A game Tachi tracks.
    Game, "game" {
        /// beatmania IIDX.
        Iidx => "iidx",
        /// MÚSECA.
        Museca => "museca",
        /// CHUNITHM.
        Chunithm => "chunithm",
        /// Be-Music Script.
        Bms => "bms",
        /// GITADORA.
        Gitadora => "gitadora",
        /// jubeat.
        Jubeat => "jubeat",
        /// maimai (up to FiNALE).
        Maimai => "maimai",
        /// maimai DX.
        Maimaidx => "maimaidx",
        /// O.N.G.E.K.I.
        Ongeki => "ongeki",
        /// Pop'n Music Script.
        Pms => "pms",
        /// pop'n music.
        Popn => "popn",
        /// SOUND VOLTEX.
        Sdvx => "sdvx",
        /// Unnamed SDVX Clone.
        Usc => "usc",
        /// WACCA.
        Wacca => "wacca",
        /// In The Groove (stamina).
        Itg => "itg",
        /// Arcaea.
        Arcaea => "arcaea",
        /// DanceDanceRevolution.
        Ddr => "ddr",
    }
}

string_enum! {
    /// A playtype (a way to play a game).
    Playtype, "playtype" {
        /// Single play (IIDX, DDR).
        Sp => "SP",
        /// Double play (IIDX, DDR).
        Dp => "DP",
        /// The only playtype of single-mode games.
        Single => "Single",
        /// BMS 7 keys.
        K7 => "7K",
        /// BMS 14 keys.
        K14 => "14K",
        /// GITADORA guitar / bass.
        Gita => "Gita",
        /// GITADORA drums.
        Dora => "Dora",
        /// Played with a controller (PMS, USC).
        Controller => "Controller",
        /// Played with a keyboard (PMS, USC).
        Keyboard => "Keyboard",
        /// pop'n music 9 buttons.
        B9 => "9B",
        /// ITG stamina.
        Stamina => "Stamina",
        /// Arcaea touch.
        Touch => "Touch",
    }
}

string_enum! {
    /// A game+playtype pair, written `game:playtype` (e.g. `iidx:SP`).
    Gpt, "game+playtype" {
        /// `iidx:SP`
        IidxSp => "iidx:SP",
        /// `iidx:DP`
        IidxDp => "iidx:DP",
        /// `museca:Single`
        MusecaSingle => "museca:Single",
        /// `sdvx:Single`
        SdvxSingle => "sdvx:Single",
        /// `bms:14K`
        Bms14K => "bms:14K",
        /// `bms:7K`
        Bms7K => "bms:7K",
        /// `gitadora:Dora`
        GitadoraDora => "gitadora:Dora",
        /// `gitadora:Gita`
        GitadoraGita => "gitadora:Gita",
        /// `chunithm:Single`
        ChunithmSingle => "chunithm:Single",
        /// `wacca:Single`
        WaccaSingle => "wacca:Single",
        /// `jubeat:Single`
        JubeatSingle => "jubeat:Single",
        /// `popn:9B`
        Popn9B => "popn:9B",
        /// `maimai:Single`
        MaimaiSingle => "maimai:Single",
        /// `maimaidx:Single`
        MaimaidxSingle => "maimaidx:Single",
        /// `pms:Controller`
        PmsController => "pms:Controller",
        /// `pms:Keyboard`
        PmsKeyboard => "pms:Keyboard",
        /// `usc:Controller`
        UscController => "usc:Controller",
        /// `usc:Keyboard`
        UscKeyboard => "usc:Keyboard",
        /// `itg:Stamina`
        ItgStamina => "itg:Stamina",
        /// `arcaea:Touch`
        ArcaeaTouch => "arcaea:Touch",
        /// `ongeki:Single`
        OngekiSingle => "ongeki:Single",
        /// `ddr:SP`
        DdrSp => "ddr:SP",
        /// `ddr:DP`
        DdrDp => "ddr:DP",
    }
}

impl Game {
    /// The game's display name.
    #[must_use]
    pub const fn display_name(self) -> &'static str {
        match self {
            Game::Iidx => "beatmania IIDX",
            Game::Museca => "MÚSECA",
            Game::Chunithm => "CHUNITHM",
            Game::Bms => "BMS",
            Game::Gitadora => "GITADORA",
            Game::Jubeat => "jubeat",
            Game::Maimai => "maimai",
            Game::Maimaidx => "maimai DX",
            Game::Ongeki => "O.N.G.E.K.I.",
            Game::Pms => "PMS",
            Game::Popn => "pop'n music",
            Game::Sdvx => "SOUND VOLTEX",
            Game::Usc => "USC",
            Game::Wacca => "WACCA",
            Game::Itg => "ITG",
            Game::Arcaea => "Arcaea",
            Game::Ddr => "DanceDanceRevolution",
        }
    }

    /// The game's playtypes, in Tachi's order.
    #[must_use]
    pub fn playtypes(self) -> &'static [Playtype] {
        use Playtype as P;
        match self {
            Game::Iidx | Game::Ddr => &[P::Sp, P::Dp],
            Game::Bms => &[P::K7, P::K14],
            Game::Gitadora => &[P::Gita, P::Dora],
            Game::Pms | Game::Usc => &[P::Controller, P::Keyboard],
            Game::Popn => &[P::B9],
            Game::Itg => &[P::Stamina],
            Game::Arcaea => &[P::Touch],
            Game::Museca
            | Game::Chunithm
            | Game::Jubeat
            | Game::Maimai
            | Game::Maimaidx
            | Game::Ongeki
            | Game::Sdvx
            | Game::Wacca => &[P::Single],
        }
    }

    /// The GPT of this game and `playtype`, if the game has that playtype.
    #[must_use]
    pub fn with_playtype(self, playtype: Playtype) -> Option<Gpt> {
        Gpt::ALL
            .into_iter()
            .find(|g| g.game() == self && g.playtype() == playtype)
    }

    /// Parses a playtype of this game; the error lists this game's playtypes.
    pub fn parse_playtype(self, s: &str) -> Result<Gpt, UnknownName> {
        s.parse::<Playtype>()
            .ok()
            .and_then(|p| self.with_playtype(p))
            .ok_or_else(|| UnknownName {
                what: "playtype",
                given: s.to_owned(),
                expected: self.playtypes().iter().map(|p| p.as_str()).collect(),
            })
    }
}

impl Gpt {
    /// The game.
    #[must_use]
    pub const fn game(self) -> Game {
        use Gpt as G;
        match self {
            G::IidxSp | G::IidxDp => Game::Iidx,
            G::MusecaSingle => Game::Museca,
            G::SdvxSingle => Game::Sdvx,
            G::Bms14K | G::Bms7K => Game::Bms,
            G::GitadoraDora | G::GitadoraGita => Game::Gitadora,
            G::ChunithmSingle => Game::Chunithm,
            G::WaccaSingle => Game::Wacca,
            G::JubeatSingle => Game::Jubeat,
            G::Popn9B => Game::Popn,
            G::MaimaiSingle => Game::Maimai,
            G::MaimaidxSingle => Game::Maimaidx,
            G::PmsController | G::PmsKeyboard => Game::Pms,
            G::UscController | G::UscKeyboard => Game::Usc,
            G::ItgStamina => Game::Itg,
            G::ArcaeaTouch => Game::Arcaea,
            G::OngekiSingle => Game::Ongeki,
            G::DdrSp | G::DdrDp => Game::Ddr,
        }
    }

    /// The playtype.
    #[must_use]
    pub const fn playtype(self) -> Playtype {
        use Gpt as G;
        match self {
            G::IidxSp | G::DdrSp => Playtype::Sp,
            G::IidxDp | G::DdrDp => Playtype::Dp,
            G::Bms14K => Playtype::K14,
            G::Bms7K => Playtype::K7,
            G::GitadoraDora => Playtype::Dora,
            G::GitadoraGita => Playtype::Gita,
            G::PmsController | G::UscController => Playtype::Controller,
            G::PmsKeyboard | G::UscKeyboard => Playtype::Keyboard,
            G::Popn9B => Playtype::B9,
            G::ItgStamina => Playtype::Stamina,
            G::ArcaeaTouch => Playtype::Touch,
            G::MusecaSingle
            | G::SdvxSingle
            | G::ChunithmSingle
            | G::WaccaSingle
            | G::JubeatSingle
            | G::MaimaiSingle
            | G::MaimaidxSingle
            | G::OngekiSingle => Playtype::Single,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seventeen_games_twenty_three_gpts() {
        assert_eq!(Game::ALL.len(), 17);
        assert_eq!(Gpt::ALL.len(), 23);
        for gpt in Gpt::ALL {
            let (g, p) = gpt
                .as_str()
                .split_once(':')
                .expect("gpt strings have a colon");
            assert_eq!(gpt.game().as_str(), g);
            assert_eq!(gpt.playtype().as_str(), p);
            assert_eq!(gpt.game().with_playtype(gpt.playtype()), Some(gpt));
            assert!(gpt.game().playtypes().contains(&gpt.playtype()));
        }
        for game in Game::ALL {
            for pt in game.playtypes() {
                assert!(game.with_playtype(*pt).is_some(), "{game}:{pt}");
            }
        }
    }

    #[test]
    fn unknown_playtype_lists_the_games_playtypes() {
        let err = Game::Iidx
            .parse_playtype("Single")
            .expect_err("not an iidx playtype");
        assert_eq!(
            err.to_string(),
            "unknown playtype \"Single\" (expected one of: SP, DP)"
        );
    }

    #[test]
    fn serde_uses_tachi_strings() {
        let json = serde_json::to_string(&Gpt::Bms7K).expect("serialises");
        assert_eq!(json, "\"bms:7K\"");
        let back: Gpt = serde_json::from_str(&json).expect("deserialises");
        assert_eq!(back, Gpt::Bms7K);
        assert!(serde_json::from_str::<Game>("\"iidx2\"").is_err());
    }
}
