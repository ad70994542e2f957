//! # kaiden-myt
//!
//! API sync for MYT over gRPC (HTTP/2 and protobuf): `api/myt-chunithm`,
//! `api/myt-maimaidx`, `api/myt-ongeki` and `api/myt-wacca`.
//!
//! A sync looks the user's card up (`mythos.cards.v0.Cards/Lookup`) for the
//! game's player id, then reads the player's whole play log from the game's
//! server-streaming `GetPlaylog`; WACCA first reads the player's data
//! (`GetData`) for the stage-up class. Every call carries this server's
//! bearer token and a deadline (10 minutes). The stream is read ahead into a
//! bounded buffer, so a slow import does not hold up MYT's HTTP/2 stream.
//! Failures are Tachi's: an unknown card is 401, a card without the game's
//! profile 400, any other gRPC status 500, and a stream that breaks midway
//! fails the import (500) with nothing stored.
//!
//! The messages are kaiden's own `.proto` files (`proto/`), written from the
//! wire facts of MYT's API and compiled at build time by protox, so a
//! fresh machine builds them with cargo alone.
//!
//! The card access code (20 digits) comes from the host's
//! [`IntegrationStore`] (`kaiden integrations set --service MYT
//! --access-code …`); the server's address and token from `KAIDEN_MYT_URL`
//! and `KAIDEN_MYT_TOKEN`. Scores whose chart is unknown become orphans as
//! with any import.
//!
//! ```no_run
//! # use std::sync::Arc;
//! # fn store() -> Arc<dyn kaiden_service::IntegrationStore> { unimplemented!() }
//! let myt = kaiden_myt::Myt::new(kaiden_myt::MytConfig::from_env(), store());
//! let chunithm = myt.format::<kaiden_myt::Chunithm>();
//! ```
#![deny(missing_docs)]

#[doc(hidden)]
pub mod client;
mod convert;
#[cfg(feature = "fake")]
pub mod fake;

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use kaiden_core::error::{ImportError, ImportErrorKind};
use kaiden_core::format::{
    ClassSlot, ImportFormat, ImportInput, ParsedImport, PendingScore, fused_records,
};
use kaiden_core::score::UserId;
use kaiden_core::{ConverterFailure, Game, ImportType};
use kaiden_service::IntegrationStore;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The messages and services of MYT's API, generated from `proto/`. Records
/// serialize as Tachi's parsers hand them on: camelCase keys, enums as
/// numbers.
#[allow(missing_docs, clippy::all, clippy::pedantic, rust_2018_idioms)]
pub mod proto {
    /// `mythos.cards.v0`.
    pub mod cards {
        tonic::include_proto!("mythos.cards.v0");
    }
    /// `mythos.chunithm.v0`.
    pub mod chunithm {
        tonic::include_proto!("mythos.chunithm.v0");
    }
    /// `mythos.maimai.v0`.
    pub mod maimai {
        tonic::include_proto!("mythos.maimai.v0");
    }
    /// `mythos.ongeki.v0`.
    pub mod ongeki {
        tonic::include_proto!("mythos.ongeki.v0");
    }
    /// `mythos.wacca.v0`.
    pub mod wacca {
        tonic::include_proto!("mythos.wacca.v0");
    }
}

/// MYT's address and this server's token there.
#[derive(Clone, PartialEq, Eq)]
pub struct MytServer {
    /// `https://host:port`, `http://host:port` (plaintext, for a local
    /// proxy or a test), or Tachi's `host:port` (TLS).
    pub url: String,
    /// The bearer token every call carries.
    pub token: String,
}

impl fmt::Debug for MytServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MytServer")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

/// Where MYT is, and how kaiden calls it.
#[derive(Debug, Clone)]
pub struct MytConfig {
    /// MYT, when configured.
    pub server: Option<MytServer>,
    /// The deadline of every call, the whole stream's included (Tachi's 10
    /// minutes).
    pub deadline: Duration,
    /// How long connecting may take.
    pub connect_timeout: Duration,
    /// How many records are read ahead of the import at most.
    pub read_ahead: usize,
    /// The `User-Agent` sent.
    pub user_agent: String,
}

impl Default for MytConfig {
    fn default() -> Self {
        MytConfig {
            server: None,
            deadline: Duration::from_secs(10 * 60),
            connect_timeout: Duration::from_secs(10),
            read_ahead: 10_000,
            user_agent: format!("kaiden/{}", env!("CARGO_PKG_VERSION")),
        }
    }
}

impl MytConfig {
    /// From `KAIDEN_MYT_URL` and `KAIDEN_MYT_TOKEN`; MYT is not configured
    /// without both.
    #[must_use]
    pub fn from_env() -> Self {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// As [`from_env`](Self::from_env), reading variables through `var`.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Self {
        let get = |name: &str| {
            var(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let server = match (get("KAIDEN_MYT_URL"), get("KAIDEN_MYT_TOKEN")) {
            (Some(url), Some(token)) => Some(MytServer {
                url: url.trim_end_matches('/').to_owned(),
                token,
            }),
            _ => None,
        };
        MytConfig {
            server,
            ..MytConfig::default()
        }
    }
}

/// Why a MYT sync could not start or read MYT (fatal).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MytError {
    /// MYT is not configured on this server (500).
    #[error("MYT is not configured on this server (set KAIDEN_MYT_URL and KAIDEN_MYT_TOKEN).")]
    NotConfigured,
    /// The configuration cannot be used (500).
    #[error("MYT is misconfigured on this server: {0}")]
    BadConfig(String),
    /// The user has stored no card (401).
    #[error("This user has no card info set up for this service.")]
    NoCard,
    /// MYT does not know the card (gRPC NOT_FOUND; 401).
    #[error("Card not found on MYT: {0}")]
    CardNotFound(String),
    /// MYT answered the lookup with another gRPC status (500).
    #[error("Unexpected response from MYT - {0}")]
    Unexpected(i32),
    /// The card has no profile for the game (400); the game's name.
    #[error("Couldn't find {0} profile on MYT.")]
    NoProfile(&'static str),
    /// The play log stream failed, at its start or midway (500). Its cause
    /// (the error's source) may name MYT's addresses: it is for logs.
    #[error("Error while streaming score data from MYT")]
    Streaming,
    /// WACCA's player data could not be read (500).
    #[error("Failed to fetch player data from MYT.")]
    PlayerData,
    /// A WACCA play came without its info (500; Tachi crashes there).
    #[error("MYT sent a WACCA play without its info.")]
    MissingInfo,
    /// The user's card store failed (500).
    #[error("{0}")]
    Store(String),
}

impl kaiden_core::error::FormatError for MytError {
    fn kind(&self) -> ImportErrorKind {
        match self {
            MytError::NoCard | MytError::CardNotFound(_) => ImportErrorKind::Unauthorised,
            MytError::NoProfile(_) => ImportErrorKind::InvalidInput,
            MytError::Unexpected(_)
            | MytError::Streaming
            | MytError::PlayerData
            | MytError::MissingInfo => ImportErrorKind::Upstream,
            MytError::NotConfigured | MytError::BadConfig(_) | MytError::Store(_) => {
                ImportErrorKind::Internal
            }
        }
    }
}

/// What every score of a MYT sync shares: nothing (Tachi's `{}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MytContext {}

/// A game ("title") MYT serves: its import type, its stream and its
/// converter. Implemented by [`Chunithm`], [`Maimaidx`], [`Ongeki`] and
/// [`Wacca`].
pub trait Title: Send + Sync + 'static {
    /// The import type.
    const IMPORT_TYPE: ImportType;
    /// The game.
    const GAME: Game;
    /// MYT's name of the title.
    const TITLE: &'static str;
    /// One message of the play-log stream.
    type Item: Send + 'static;
    /// The record converted and kept with orphans.
    type Record: Serialize + DeserializeOwned + Send + Sync + 'static;

    /// The import types (the one).
    fn import_types() -> &'static [ImportType];

    /// Opens the play-log stream of the player `api_id`.
    #[doc(hidden)]
    fn playlog(
        conn: &client::Conn,
        channel: tonic::transport::Channel,
        api_id: String,
    ) -> impl Future<Output = Result<tonic::Streaming<Self::Item>, tonic::Status>> + Send;

    /// The record of a stream message.
    ///
    /// # Errors
    /// A message that cannot be one (fatal).
    fn record(item: Self::Item) -> Result<Self::Record, ImportError>;

    /// Converts a record (Tachi's converter).
    ///
    /// # Errors
    /// The record's failure.
    fn convert(
        import_type: ImportType,
        record: &Self::Record,
    ) -> Result<PendingScore, ConverterFailure>;
}

/// `api/myt-chunithm`.
#[derive(Debug, Clone, Copy)]
pub struct Chunithm;
/// `api/myt-maimaidx`.
#[derive(Debug, Clone, Copy)]
pub struct Maimaidx;
/// `api/myt-ongeki`.
#[derive(Debug, Clone, Copy)]
pub struct Ongeki;
/// `api/myt-wacca`.
#[derive(Debug, Clone, Copy)]
pub struct Wacca;

macro_rules! stream_title {
    ($t:ty, $ty:ident, $game:ident, $title:literal, $module:ident, $cmod:ident, $client:ident) => {
        impl Title for $t {
            const IMPORT_TYPE: ImportType = ImportType::$ty;
            const GAME: Game = Game::$game;
            const TITLE: &'static str = $title;
            type Item = proto::$module::GetPlaylogStreamItem;
            type Record = proto::$module::GetPlaylogStreamItem;

            fn import_types() -> &'static [ImportType] {
                &[ImportType::$ty]
            }

            async fn playlog(
                conn: &client::Conn,
                channel: tonic::transport::Channel,
                api_id: String,
            ) -> Result<tonic::Streaming<Self::Item>, tonic::Status> {
                let mut c = proto::$module::$cmod::$client::new(channel);
                let request = conn.request(proto::$module::GetPlaylogRequest {
                    profile_api_id: api_id,
                    last_user_play_date: None,
                    limit: None,
                });
                Ok(c.get_playlog(request).await?.into_inner())
            }

            fn record(item: Self::Item) -> Result<Self::Record, ImportError> {
                Ok(item)
            }

            fn convert(
                import_type: ImportType,
                record: &Self::Record,
            ) -> Result<PendingScore, ConverterFailure> {
                convert::$module(import_type, record)
            }
        }
    };
}

stream_title!(
    Chunithm,
    API_MYT_CHUNITHM,
    Chunithm,
    "chunithm",
    chunithm,
    chunithm_user_client,
    ChunithmUserClient
);
stream_title!(
    Maimaidx,
    API_MYT_MAIMAIDX,
    Maimaidx,
    "maimai",
    maimai,
    maimai_user_client,
    MaimaiUserClient
);
stream_title!(
    Ongeki,
    API_MYT_ONGEKI,
    Ongeki,
    "ongeki",
    ongeki,
    ongeki_user_client,
    OngekiUserClient
);

impl Title for Wacca {
    const IMPORT_TYPE: ImportType = ImportType::API_MYT_WACCA;
    const GAME: Game = Game::Wacca;
    const TITLE: &'static str = "wacca";
    type Item = proto::wacca::PlaylogStreamItem;
    /// Tachi keeps a WACCA play's info alone.
    type Record = proto::wacca::PlaylogInfo;

    fn import_types() -> &'static [ImportType] {
        &[ImportType::API_MYT_WACCA]
    }

    async fn playlog(
        conn: &client::Conn,
        channel: tonic::transport::Channel,
        api_id: String,
    ) -> Result<tonic::Streaming<Self::Item>, tonic::Status> {
        let mut c = proto::wacca::wacca_user_client::WaccaUserClient::new(channel);
        let request = conn.request(proto::wacca::PlaylogRequest {
            api_id,
            music_id: None,
        });
        Ok(c.get_playlog(request).await?.into_inner())
    }

    fn record(item: Self::Item) -> Result<Self::Record, ImportError> {
        item.info.ok_or_else(|| MytError::MissingInfo.into())
    }

    fn convert(
        import_type: ImportType,
        record: &Self::Record,
    ) -> Result<PendingScore, ConverterFailure> {
        convert::wacca(import_type, record)
    }
}

/// The MYT import types, over a host's card store: one [`MytFormat`] a game.
#[derive(Clone)]
pub struct Myt {
    config: Arc<MytConfig>,
    store: Arc<dyn IntegrationStore>,
}

impl fmt::Debug for Myt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Myt")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Myt {
    /// The MYT import types with `config`, reading cards from `store`.
    pub fn new(config: MytConfig, store: Arc<dyn IntegrationStore>) -> Self {
        Myt {
            config: Arc::new(config),
            store,
        }
    }

    /// Whether MYT is configured.
    #[must_use]
    pub fn configured(&self) -> bool {
        self.config.server.is_some()
    }

    /// The import format of `T` (register one for each game served).
    #[must_use]
    pub fn format<T: Title>(&self) -> MytFormat<T> {
        MytFormat {
            myt: self.clone(),
            title: PhantomData,
        }
    }
}

/// One MYT import type: `T`'s play log, pulled with the user's card.
pub struct MytFormat<T> {
    myt: Myt,
    title: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for MytFormat<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MytFormat")
            .field("title", &std::any::type_name::<T>())
            .finish_non_exhaustive()
    }
}

impl<T: Title> ImportFormat for MytFormat<T> {
    type Record = T::Record;
    type Context = MytContext;

    fn import_types(&self) -> &'static [ImportType] {
        T::import_types()
    }

    fn parse<'a>(
        &self,
        import_type: ImportType,
        _input: &ImportInput<'a>,
    ) -> Result<ParsedImport<'a, T::Record, MytContext>, ImportError> {
        Err(ImportError::needs_user(import_type))
    }

    fn parse_for_user<'a>(
        &self,
        _import_type: ImportType,
        _input: &ImportInput<'a>,
        user: UserId,
    ) -> Result<ParsedImport<'a, T::Record, MytContext>, ImportError> {
        if self.myt.config.server.is_none() {
            return Err(MytError::NotConfigured.into());
        }
        let code = self
            .myt
            .store
            .myt_card(user)
            .map_err(|e| ImportError::from(MytError::Store(e.to_string())).caused_by(e))?
            .ok_or(MytError::NoCard)?;
        let opened = client::open::<T>(&self.myt.config, code)?;
        let rx = opened.records;
        let records = fused_records(move || match rx.recv() {
            Ok(client::Msg::Item(r)) => Ok(Some(r)),
            Ok(client::Msg::End) => Ok(None),
            Ok(client::Msg::Failed(e)) => Err(e),
            // The sync's thread ended without saying so: it died.
            Err(_) => Err(MytError::Streaming.into()),
        });
        Ok(ParsedImport {
            game: T::GAME,
            context: MytContext {},
            records: Box::new(records),
            classes: ClassSlot::new(opened.classes),
        })
    }

    fn convert(
        &self,
        import_type: ImportType,
        record: &T::Record,
        _context: &MytContext,
    ) -> Result<PendingScore, ConverterFailure> {
        T::convert(import_type, record)
    }
}

#[cfg(test)]
mod tests;
