//! # kaiden-cg
//!
//! API sync for the CG services (dev, gan and nag): `api/cg-{dev,gan,nag}-jubeat`,
//! `-museca`, `-popn` and `-sdvx`, twelve import types.
//!
//! An import is one GET of `<URL>/<jb|msc|popn|sdvx>-scores` with this server's
//! API key and the user's card id and PIN in the query string (so the URL is
//! never logged or shown). The answer's envelope is checked strictly, then every
//! score is checked against its game's schema before any is converted: one bad
//! item fails the import, as Tachi's parser does. The user's card comes from
//! the host's [`IntegrationStore`] (`kaiden integrations set --service CG-DEV
//! --card-id … --pin …`); the server's address and key from
//! `KAIDEN_CG_<DEV|GAN|NAG>_URL` and `..._API_KEY`. Scores whose chart is
//! unknown become orphans as with any import.
//!
//! ```no_run
//! # use std::sync::Arc;
//! # fn store() -> Arc<dyn kaiden_service::IntegrationStore> { unimplemented!() }
//! let cg = kaiden_cg::Cg::new(kaiden_cg::CgConfig::from_env(), store());
//! ```
#![deny(missing_docs)]

mod convert;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use kaiden_core::error::{ImportError, ImportErrorKind};
use kaiden_core::format::{ClassSlot, ImportFormat, ImportInput, ParsedImport, PendingScore};
use kaiden_core::prudence::{Field, Schema, check, field};
use kaiden_core::score::UserId;
use kaiden_core::{ConverterFailure, Game, ImportType};
use kaiden_service::IntegrationStore;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A CG service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Service {
    /// dev.
    Dev,
    /// gan.
    Gan,
    /// nag.
    Nag,
}

impl Service {
    /// Every service.
    pub const ALL: [Service; 3] = [Service::Dev, Service::Gan, Service::Nag];

    /// Tachi's name in contexts (`dev`, `gan`, `nag`).
    #[must_use]
    pub const fn slug(self) -> &'static str {
        match self {
            Service::Dev => "dev",
            Service::Gan => "gan",
            Service::Nag => "nag",
        }
    }

    /// The name cards are stored under (`CG-DEV`, `CG-GAN`, `CG-NAG`).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Service::Dev => "CG-DEV",
            Service::Gan => "CG-GAN",
            Service::Nag => "CG-NAG",
        }
    }

    /// The service written on scores (Tachi's `FormatCGService`).
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Service::Dev => "CG Dev",
            Service::Gan | Service::Nag => "CG",
        }
    }

    /// The service a stored name (`CG-DEV`, any case) names.
    #[must_use]
    pub fn parse(name: &str) -> Option<Service> {
        Service::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(name.trim()))
    }

    fn env(self) -> &'static str {
        match self {
            Service::Dev => "DEV",
            Service::Gan => "GAN",
            Service::Nag => "NAG",
        }
    }
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A game CG serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CgGame {
    /// jubeat (`jb`).
    Jubeat,
    /// MÚSECA (`msc`).
    Museca,
    /// pop'n music (`popn`).
    Popn,
    /// SOUND VOLTEX (`sdvx`).
    Sdvx,
}

impl CgGame {
    /// CG's name for it, as in its URLs.
    #[must_use]
    pub const fn slug(self) -> &'static str {
        match self {
            CgGame::Jubeat => "jb",
            CgGame::Museca => "msc",
            CgGame::Popn => "popn",
            CgGame::Sdvx => "sdvx",
        }
    }

    /// The Tachi game.
    #[must_use]
    pub const fn game(self) -> Game {
        match self {
            CgGame::Jubeat => Game::Jubeat,
            CgGame::Museca => Game::Museca,
            CgGame::Popn => Game::Popn,
            CgGame::Sdvx => Game::Sdvx,
        }
    }
}

/// The service and game of a CG import type.
#[must_use]
pub fn of(import_type: ImportType) -> Option<(Service, CgGame)> {
    IMPORT_TYPES
        .iter()
        .position(|t| *t == import_type)
        .map(|i| (Service::ALL[i / 4], GAMES[i % 4]))
}

const GAMES: [CgGame; 4] = [CgGame::Jubeat, CgGame::Museca, CgGame::Popn, CgGame::Sdvx];

/// In the order of [`of`]: service by service, game by game.
const IMPORT_TYPES: &[ImportType] = &[
    ImportType::API_CG_DEV_JUBEAT,
    ImportType::API_CG_DEV_MUSECA,
    ImportType::API_CG_DEV_POPN,
    ImportType::API_CG_DEV_SDVX,
    ImportType::API_CG_GAN_JUBEAT,
    ImportType::API_CG_GAN_MUSECA,
    ImportType::API_CG_GAN_POPN,
    ImportType::API_CG_GAN_SDVX,
    ImportType::API_CG_NAG_JUBEAT,
    ImportType::API_CG_NAG_MUSECA,
    ImportType::API_CG_NAG_POPN,
    ImportType::API_CG_NAG_SDVX,
];

/// One service's address and this server's key there.
#[derive(Clone, PartialEq, Eq)]
pub struct ServiceConfig {
    /// The origin and path the `<game>-scores` endpoints are under (no
    /// trailing slash).
    pub base_url: String,
    /// This server's API key.
    pub api_key: String,
}

impl fmt::Debug for ServiceConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceConfig")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

/// Where the CG services are.
#[derive(Debug, Clone)]
pub struct CgConfig {
    /// dev, when configured.
    pub dev: Option<ServiceConfig>,
    /// gan, when configured.
    pub gan: Option<ServiceConfig>,
    /// nag, when configured.
    pub nag: Option<ServiceConfig>,
    /// The limit on the request (Tachi has none).
    pub timeout: Duration,
    /// The `User-Agent` sent.
    pub user_agent: String,
}

impl Default for CgConfig {
    fn default() -> Self {
        CgConfig {
            dev: None,
            gan: None,
            nag: None,
            timeout: Duration::from_secs(60),
            user_agent: format!("kaiden/{}", env!("CARGO_PKG_VERSION")),
        }
    }
}

impl CgConfig {
    /// From `KAIDEN_CG_<DEV|GAN|NAG>_URL` and `..._API_KEY`; a service without
    /// both is not configured.
    #[must_use]
    pub fn from_env() -> Self {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// As [`from_env`](Self::from_env), reading variables through `var`.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Self {
        let service = |s: Service| {
            let get = |part: &str| {
                var(&format!("KAIDEN_CG_{}_{part}", s.env())).filter(|v| !v.trim().is_empty())
            };
            match (get("URL"), get("API_KEY")) {
                (Some(url), Some(key)) => Some(ServiceConfig {
                    base_url: url.trim().trim_end_matches('/').to_owned(),
                    api_key: key.trim().to_owned(),
                }),
                _ => None,
            }
        };
        CgConfig {
            dev: service(Service::Dev),
            gan: service(Service::Gan),
            nag: service(Service::Nag),
            ..CgConfig::default()
        }
    }

    /// A service's settings, when configured.
    #[must_use]
    pub fn service(&self, s: Service) -> Option<&ServiceConfig> {
        match s {
            Service::Dev => self.dev.as_ref(),
            Service::Gan => self.gan.as_ref(),
            Service::Nag => self.nag.as_ref(),
        }
    }

    /// Whether any service is configured.
    #[must_use]
    pub fn any(&self) -> bool {
        self.dev.is_some() || self.gan.is_some() || self.nag.is_some()
    }
}

/// Why a CG import could not start or read the service (fatal).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CgError {
    /// The service is not configured on this server (500).
    #[error(
        "{0} is not configured on this server (set KAIDEN_CG_{1}_URL and KAIDEN_CG_{1}_API_KEY)."
    )]
    NotConfigured(Service, &'static str),
    /// The user has stored no card for the service (401).
    #[error("This user has no card info set up for this service.")]
    NoCard(Service),
    /// The service could not be reached, or answered something that is not
    /// its API's (500; the detail is for logs, the message is Tachi's).
    #[error("Received invalid response from their API. Are they down?")]
    InvalidResponse(String),
    /// The service refused (its `success: false`; 400).
    #[error("Failed to fetch data from CG. Error Message: {0}.")]
    Refused(String),
    /// A score of the answer does not fit its game's schema (400).
    #[error("{0}")]
    InvalidScore(String),
    /// The user's card store failed (500).
    #[error("{0}")]
    Store(String),
}

impl kaiden_core::error::FormatError for CgError {
    fn kind(&self) -> ImportErrorKind {
        match self {
            CgError::NoCard(_) => ImportErrorKind::Unauthorised,
            CgError::Refused(_) | CgError::InvalidScore(_) => ImportErrorKind::InvalidInput,
            CgError::InvalidResponse(_) => ImportErrorKind::Upstream,
            CgError::NotConfigured(..) | CgError::Store(_) => ImportErrorKind::Internal,
        }
    }
}

/// What every score of one sync shares (stored with orphans).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CgContext {
    /// `dev`, `gan` or `nag`.
    pub service: String,
}

/// The CG import types, over a host's card store.
pub struct Cg {
    config: CgConfig,
    store: Arc<dyn IntegrationStore>,
}

impl fmt::Debug for Cg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cg")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Cg {
    /// The CG import types with `config`, reading cards from `store`.
    pub fn new(config: CgConfig, store: Arc<dyn IntegrationStore>) -> Self {
        Cg { config, store }
    }

    /// The user's scores at the service of `import_type`, checked against
    /// their game's schema (for tools and tests; imports use it through the
    /// pipeline).
    ///
    /// # Errors
    /// The import type's fatal errors ([`CgError`]).
    pub fn fetch_scores(
        &self,
        import_type: ImportType,
        user: UserId,
    ) -> Result<Vec<Value>, ImportError> {
        let (service, game) = cg_type(import_type)?;
        let conf = self
            .config
            .service(service)
            .ok_or(CgError::NotConfigured(service, service.env()))?;
        let card = self
            .store
            .cg_card(user, service.as_str())
            .map_err(|e| ImportError::from(CgError::Store(e.to_string())).caused_by(e))?
            .ok_or(CgError::NoCard(service))?;
        let body = self.get(conf, game, &card)?;
        read_scores(game, &body)
    }

    fn get(
        &self,
        conf: &ServiceConfig,
        game: CgGame,
        card: &kaiden_service::CgCard,
    ) -> Result<String, ImportError> {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(self.config.timeout))
            .build()
            .into();
        // The query string carries secrets: the URL goes in no message.
        let url = format!("{}/{}-scores", conf.base_url, game.slug());
        let invalid = |why: String| ImportError::from(CgError::InvalidResponse(why));
        let mut reply = agent
            .get(&url)
            .query("api_key", &conf.api_key)
            .query("card_id", &card.card_id)
            .query("pin", &card.pin)
            .header("User-Agent", &self.config.user_agent)
            .call()
            .map_err(|e| invalid(format!("{url}: {e}")))?;
        reply
            .body_mut()
            .with_config()
            .limit(256 * 1024 * 1024)
            .read_to_string()
            .map_err(|e| invalid(format!("{url}: {e}")))
    }
}

/// The scores of a CG answer's body for `game`: the envelope checked
/// ([`CgError::Refused`] for the service's refusal, [`CgError::InvalidResponse`]
/// for anything else), then every score against the game's schema before any
/// is used ([`CgError::InvalidScore`]: one bad item fails them all, as in
/// Tachi).
///
/// # Errors
/// As above.
pub fn read_scores(game: CgGame, body: &str) -> Result<Vec<Value>, ImportError> {
    let scores = envelope(body)?;
    let mut wrapper = Map::new();
    wrapper.insert("data".into(), Value::Array(scores));
    let schema = [field(
        "data",
        Schema::array(Schema::Object(item_schema(game))),
    )];
    let wrapper = Value::Object(wrapper);
    if let Err(e) = check(&wrapper, &schema, false) {
        return Err(CgError::InvalidScore(
            e.format_common(&format!("Invalid CG {} Score.", game.slug())),
        )
        .into());
    }
    match wrapper {
        Value::Object(mut o) => match o.remove("data") {
            Some(Value::Array(scores)) => Ok(scores),
            _ => Ok(Vec::new()),
        },
        _ => Ok(Vec::new()),
    }
}

/// The scores of CG's envelope: `{success: true, data: {profile: {id, name},
/// scores: [...]}}`, or the service's refusal `{success: false, message}`.
/// Anything else (other keys included) is an invalid response.
fn envelope(body: &str) -> Result<Vec<Value>, ImportError> {
    let invalid = |why: &str| ImportError::from(CgError::InvalidResponse(why.to_owned()));
    let v: Value = serde_json::from_str(body).map_err(|_| invalid("the body is not JSON"))?;
    let o = v.as_object().ok_or_else(|| invalid("not an object"))?;
    match (
        o.get("success").and_then(Value::as_bool),
        keys(o).as_slice(),
    ) {
        (Some(false), ["message", "success"]) => match o.get("message") {
            Some(Value::String(m)) => Err(CgError::Refused(m.clone()).into()),
            _ => Err(invalid("message is not a string")),
        },
        (Some(true), ["data", "success"]) => {
            let data = o
                .get("data")
                .and_then(Value::as_object)
                .filter(|d| keys(d) == ["profile", "scores"])
                .ok_or_else(|| invalid("data is not {profile, scores}"))?;
            let profile_ok = data
                .get("profile")
                .and_then(Value::as_object)
                .is_some_and(|p| keys(p) == ["id", "name"] && p.values().all(Value::is_string));
            if !profile_ok {
                return Err(invalid("profile is not {id, name}"));
            }
            if !matches!(data.get("scores"), Some(Value::Array(_))) {
                return Err(invalid("scores is not an array"));
            }
            // Checked: take the scores out without copying them.
            match v {
                Value::Object(mut o) => match o.remove("data") {
                    Some(Value::Object(mut d)) => match d.remove("scores") {
                        Some(Value::Array(s)) => Ok(s),
                        _ => Err(invalid("scores is not an array")),
                    },
                    _ => Err(invalid("data is not {profile, scores}")),
                },
                _ => Err(invalid("not an object")),
            }
        }
        _ => Err(invalid("not CG's envelope")),
    }
}

/// An object's keys, sorted.
fn keys(o: &Map<String, Value>) -> Vec<&str> {
    let mut k: Vec<&str> = o.keys().map(String::as_str).collect();
    k.sort_unstable();
    k
}

/// Each game's score schema (Tachi's `PR_CG_*`), in Tachi's key order.
fn item_schema(game: CgGame) -> Vec<Field> {
    use Schema::{Any, BoundedInteger, PositiveInteger, Type};
    let head = [
        field("internalId", PositiveInteger),
        field("difficulty", PositiveInteger),
        field("version", PositiveInteger),
    ];
    let rest: Vec<Field> = match game {
        CgGame::Jubeat => vec![
            field("clearFlag", Any),
            field("score", BoundedInteger(0, 1_000_000)),
            field("hardMode", Type("boolean")),
            field("perfectCount", PositiveInteger),
            field("greatCount", PositiveInteger),
            field("goodCount", PositiveInteger),
            field("poorCount", PositiveInteger),
            field("missCount", PositiveInteger),
            field("musicRate", BoundedInteger(0, 1200)),
            field("dateTime", Type("string")),
        ],
        CgGame::Sdvx => vec![
            field("score", BoundedInteger(0, 10_000_000)),
            field("exScore", PositiveInteger),
            field("clearType", PositiveInteger),
            field("scoreGrade", Any),
            field("maxChain", PositiveInteger),
            field("critical", PositiveInteger),
            field("near", PositiveInteger),
            field("error", PositiveInteger),
            field("dateTime", Type("string")),
        ],
        CgGame::Museca => vec![
            field("score", BoundedInteger(0, 1_000_000)),
            field("clearType", Any),
            field("scoreGrade", Any),
            field("maxChain", PositiveInteger),
            field("critical", PositiveInteger),
            field("near", PositiveInteger),
            field("error", PositiveInteger),
            field("dateTime", Type("string")),
        ],
        CgGame::Popn => vec![
            field("clearFlag", PositiveInteger),
            field("score", PositiveInteger),
            field("coolCount", PositiveInteger),
            field("greatCount", PositiveInteger),
            field("goodCount", PositiveInteger),
            field("badCount", PositiveInteger),
            field("dateTime", Type("string")),
        ],
    };
    head.into_iter().chain(rest).collect()
}

fn cg_type(import_type: ImportType) -> Result<(Service, CgGame), ImportError> {
    of(import_type)
        .ok_or_else(|| ImportError::internal(format!("{import_type} is not a CG import type")))
}

impl ImportFormat for Cg {
    type Record = Value;
    type Context = CgContext;

    fn import_types(&self) -> &'static [ImportType] {
        IMPORT_TYPES
    }

    fn parse<'a>(
        &self,
        import_type: ImportType,
        _input: &ImportInput<'a>,
    ) -> Result<ParsedImport<'a, Value, CgContext>, ImportError> {
        Err(ImportError::needs_user(import_type))
    }

    fn parse_for_user<'a>(
        &self,
        import_type: ImportType,
        _input: &ImportInput<'a>,
        user: UserId,
    ) -> Result<ParsedImport<'a, Value, CgContext>, ImportError> {
        let (service, game) = cg_type(import_type)?;
        let scores = self.fetch_scores(import_type, user)?;
        Ok(ParsedImport {
            game: game.game(),
            context: CgContext {
                service: service.slug().to_owned(),
            },
            records: Box::new(scores.into_iter().map(Ok)),
            classes: ClassSlot::default(),
        })
    }

    fn convert(
        &self,
        import_type: ImportType,
        record: &Value,
        context: &CgContext,
    ) -> Result<PendingScore, ConverterFailure> {
        let Some((_, game)) = of(import_type) else {
            return Err(ConverterFailure::Internal(format!(
                "{import_type} is not a CG import type"
            )));
        };
        let service = Service::ALL
            .into_iter()
            .find(|s| s.slug() == context.service)
            .ok_or_else(|| {
                ConverterFailure::Internal(format!("unknown CG service {:?}", context.service))
            })?;
        convert::convert(import_type, game, service, record)
    }
}

#[cfg(test)]
mod tests;
