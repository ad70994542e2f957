//! # kaiden-kai
//!
//! API sync for the KAI family of score services: `api/flo-iidx`,
//! `api/eag-iidx`, `api/flo-sdvx`, `api/eag-sdvx` and `api/min-sdvx`.
//!
//! An import pulls the user's play history over HTTPS (rustls) from the
//! service's `play_history` endpoint, following `_links._next` page by page as
//! the pipeline asks for records, so a user with 100k plays never sits in
//! memory. The user's OAuth tokens come from the host's
//! [`IntegrationStore`]; a 401/403 is answered by one token refresh, and the
//! rotated tokens are stored at once (they survive the import failing). A
//! `_next` link to another host is refused; after 500 pages the import stops
//! (508). Scores whose chart is unknown become orphans as with any import.
//!
//! After the last page the player's profile gives the dan class (IIDX `sp`/`dp`,
//! SDVX `skill_level`); a profile that cannot be read gives no class and never
//! fails the import.
//!
//! ```no_run
//! # use std::sync::Arc;
//! # fn store() -> Arc<dyn kaiden_service::IntegrationStore> { unimplemented!() }
//! let kai = kaiden_kai::Kai::new(kaiden_kai::KaiConfig::from_env(), store());
//! ```
#![deny(missing_docs)]

mod client;
mod convert;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use kaiden_core::error::ImportError;
use kaiden_core::format::{
    ClassSlot, ImportFormat, ImportInput, ParsedImport, PendingScore, ProvidedClass, fused_records,
};
use kaiden_core::score::UserId;
use kaiden_core::{ConverterFailure, Game, Gpt, ImportType};
use kaiden_service::IntegrationStore;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use client::{KaiError, PageError, read_page};
use client::{Pager, Session};

/// A KAI service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Service {
    /// FLO.
    Flo,
    /// EAG.
    Eag,
    /// MIN (SDVX only).
    Min,
}

impl Service {
    /// The name Tachi stores (`FLO`, `EAG`, `MIN`).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Service::Flo => "FLO",
            Service::Eag => "EAG",
            Service::Min => "MIN",
        }
    }

    /// The service and game of a KAI import type.
    #[must_use]
    pub fn of(import_type: ImportType) -> Option<(Service, Game)> {
        Some(match import_type {
            ImportType::API_FLO_IIDX => (Service::Flo, Game::Iidx),
            ImportType::API_EAG_IIDX => (Service::Eag, Game::Iidx),
            ImportType::API_FLO_SDVX => (Service::Flo, Game::Sdvx),
            ImportType::API_EAG_SDVX => (Service::Eag, Game::Sdvx),
            ImportType::API_MIN_SDVX => (Service::Min, Game::Sdvx),
            _ => return None,
        })
    }
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One service's address and this server's OAuth client there.
#[derive(Clone, PartialEq, Eq)]
pub struct ServiceConfig {
    /// The origin, e.g. `https://flo.example.com` (no trailing slash).
    pub base_url: String,
    /// The OAuth client id (needed to refresh tokens).
    pub client_id: Option<String>,
    /// The OAuth client secret.
    pub client_secret: Option<String>,
}

impl fmt::Debug for ServiceConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceConfig")
            .field("base_url", &self.base_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret.as_ref().map(|_| ".."))
            .finish()
    }
}

/// Where the KAI services are, and how patient to be with them.
#[derive(Debug, Clone)]
pub struct KaiConfig {
    /// FLO, when configured.
    pub flo: Option<ServiceConfig>,
    /// EAG, when configured.
    pub eag: Option<ServiceConfig>,
    /// MIN, when configured.
    pub min: Option<ServiceConfig>,
    /// The limit on each HTTP request.
    pub timeout: Duration,
    /// Retries of a request that failed in transport (not of HTTP answers).
    pub retries: u32,
    /// Pages followed before the import stops with 508 (Tachi: 500).
    pub max_pages: u32,
    /// The `User-Agent` sent.
    pub user_agent: String,
}

impl Default for KaiConfig {
    fn default() -> Self {
        KaiConfig {
            flo: None,
            eag: None,
            min: None,
            timeout: Duration::from_secs(30),
            retries: 2,
            max_pages: 500,
            user_agent: format!("kaiden/{}", env!("CARGO_PKG_VERSION")),
        }
    }
}

impl KaiConfig {
    /// From `KAIDEN_KAI_<FLO|EAG|MIN>_URL`, `..._CLIENT_ID` and
    /// `..._CLIENT_SECRET`; a service without a URL is not configured.
    #[must_use]
    pub fn from_env() -> Self {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// As [`from_env`](Self::from_env), reading variables through `var`.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Self {
        let service = |s: Service| {
            let get = |part: &str| {
                var(&format!("KAIDEN_KAI_{s}_{part}")).filter(|v| !v.trim().is_empty())
            };
            get("URL").map(|url| ServiceConfig {
                base_url: url.trim().trim_end_matches('/').to_owned(),
                client_id: get("CLIENT_ID"),
                client_secret: get("CLIENT_SECRET"),
            })
        };
        KaiConfig {
            flo: service(Service::Flo),
            eag: service(Service::Eag),
            min: service(Service::Min),
            ..KaiConfig::default()
        }
    }

    /// A service's settings, when configured.
    #[must_use]
    pub fn service(&self, s: Service) -> Option<&ServiceConfig> {
        match s {
            Service::Flo => self.flo.as_ref(),
            Service::Eag => self.eag.as_ref(),
            Service::Min => self.min.as_ref(),
        }
    }

    /// Whether any service is configured.
    #[must_use]
    pub fn any(&self) -> bool {
        self.flo.is_some() || self.eag.is_some() || self.min.is_some()
    }
}

/// What every item of one sync shares (stored with orphans).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KaiContext {
    /// `FLO`, `EAG` or `MIN`: the scores' `service`.
    pub service: String,
}

/// The KAI import types, over a host's token store.
pub struct Kai {
    config: KaiConfig,
    store: Arc<dyn IntegrationStore>,
}

impl fmt::Debug for Kai {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Kai")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Kai {
    /// The KAI import types with `config`, reading and storing tokens in `store`.
    pub fn new(config: KaiConfig, store: Arc<dyn IntegrationStore>) -> Self {
        Kai { config, store }
    }
}

impl Kai {
    /// The user's play history at the service of `import_type`, as a lazy
    /// stream of raw items, page by page (for tools and tests; imports use it
    /// through the pipeline).
    pub fn play_history(
        &self,
        import_type: ImportType,
        user: UserId,
    ) -> Result<impl Iterator<Item = Result<Value, ImportError>> + Send + use<>, ImportError> {
        let (service, game) = kai_type(import_type)?;
        let session = Session::new(&self.config, service, Arc::clone(&self.store), user)?;
        let mut pager = Pager::new(session, history_path(game), self.config.max_pages);
        Ok(fused_records(move || pager.next_item()))
    }
}

fn history_path(game: Game) -> &'static str {
    match game {
        Game::Iidx => "/api/iidx/v2/play_history",
        _ => "/api/sdvx/v1/play_history",
    }
}

const IMPORT_TYPES: &[ImportType] = &[
    ImportType::API_FLO_IIDX,
    ImportType::API_EAG_IIDX,
    ImportType::API_FLO_SDVX,
    ImportType::API_EAG_SDVX,
    ImportType::API_MIN_SDVX,
];

fn kai_type(import_type: ImportType) -> Result<(Service, Game), ImportError> {
    Service::of(import_type)
        .ok_or_else(|| ImportError::internal(format!("{import_type} is not a KAI import type")))
}

/// The classes the profile gives, after the last page. Never fails.
fn profile_classes(session: &mut Session, game: Game) -> Vec<ProvidedClass> {
    let path = match game {
        Game::Iidx => "/api/iidx/v2/player_profile",
        _ => "/api/sdvx/v1/player_profile",
    };
    let url = format!("{}{path}", session.base());
    let profile = match session.get_json(&url) {
        Ok((200, p)) => p,
        _ => return Vec::new(),
    };
    let dan = |gpt: Gpt, id: Option<&'static str>| {
        id.map(|id| ProvidedClass {
            gpt,
            set: "dan".to_owned(),
            class_id: id.to_owned(),
        })
    };
    match game {
        Game::Iidx => [Gpt::IidxSp, Gpt::IidxDp]
            .into_iter()
            .filter_map(|g| dan(g, convert::iidx_dan(&profile, g)))
            .collect(),
        _ => dan(Gpt::SdvxSingle, convert::sdvx_dan(&profile))
            .into_iter()
            .collect(),
    }
}

impl ImportFormat for Kai {
    type Record = Value;
    type Context = KaiContext;

    fn import_types(&self) -> &'static [ImportType] {
        IMPORT_TYPES
    }

    fn parse<'a>(
        &self,
        import_type: ImportType,
        _input: &ImportInput<'a>,
    ) -> Result<ParsedImport<'a, Value, KaiContext>, ImportError> {
        Err(ImportError::needs_user(import_type))
    }

    fn parse_for_user<'a>(
        &self,
        import_type: ImportType,
        _input: &ImportInput<'a>,
        user: UserId,
    ) -> Result<ParsedImport<'a, Value, KaiContext>, ImportError> {
        let (service, game) = kai_type(import_type)?;
        let session = Session::new(&self.config, service, Arc::clone(&self.store), user)?;
        let mut pager = Pager::new(session, history_path(game), self.config.max_pages);
        let classes = ClassSlot::default();
        let slot = classes.clone();
        let mut finished = false;
        let records = fused_records(move || {
            let item = pager.next_item()?;
            if item.is_none() && !finished {
                finished = true;
                slot.set(profile_classes(&mut pager.session, game));
            }
            Ok(item)
        });
        Ok(ParsedImport {
            game,
            context: KaiContext {
                service: service.as_str().to_owned(),
            },
            records: Box::new(records),
            classes,
        })
    }

    fn convert(
        &self,
        import_type: ImportType,
        record: &Value,
        context: &KaiContext,
    ) -> Result<PendingScore, ConverterFailure> {
        match Service::of(import_type) {
            Some((_, Game::Iidx)) => convert::iidx(import_type, record, &context.service),
            Some(_) => convert::sdvx(import_type, record, &context.service),
            None => Err(ConverterFailure::Internal(format!(
                "{import_type} is not a KAI import type"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_comes_from_kaiden_kai_variables() {
        let vars = |name: &str| match name {
            "KAIDEN_KAI_FLO_URL" => Some("https://flo.example.com/".to_owned()),
            "KAIDEN_KAI_FLO_CLIENT_ID" => Some("id".to_owned()),
            "KAIDEN_KAI_FLO_CLIENT_SECRET" => Some("hunter2".to_owned()),
            "KAIDEN_KAI_MIN_URL" => Some("https://min.example.com".to_owned()),
            _ => None,
        };
        let c = KaiConfig::from_vars(vars);
        let flo = c.service(Service::Flo).expect("FLO");
        assert_eq!(flo.base_url, "https://flo.example.com");
        assert_eq!(flo.client_id.as_deref(), Some("id"));
        assert!(c.service(Service::Eag).is_none());
        assert_eq!(
            c.service(Service::Min).and_then(|m| m.client_id.clone()),
            None
        );
        assert!(c.any());
        assert!(!format!("{flo:?}").contains("hunter2"));
        assert!(!KaiConfig::from_vars(|_| None).any());
    }

    #[test]
    fn import_types_map_to_services_and_games() {
        assert_eq!(
            Service::of(ImportType::API_MIN_SDVX),
            Some((Service::Min, Game::Sdvx))
        );
        assert_eq!(
            Service::of(ImportType::API_EAG_IIDX),
            Some((Service::Eag, Game::Iidx))
        );
        assert_eq!(Service::of(ImportType::FILE_BATCH_MANUAL), None);
    }
}
