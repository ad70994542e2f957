//! The KAI HTTP client: one user's session at one service, page traversal and
//! token refresh.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use kaiden_core::error::{ImportError, ImportErrorKind, Position};
use kaiden_core::score::UserId;
use kaiden_service::{IntegrationStore, KaiTokens};
use serde_json::Value;

use crate::{KaiConfig, Service, ServiceConfig};

/// A KAI sync's fatal errors; each displays as Tachi's message, and each has
/// the HTTP status Tachi answers with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KaiError {
    /// The service is not configured on this server (500).
    #[error("{0} is not configured on this server (set KAIDEN_KAI_{0}_URL).")]
    NotConfigured(Service),
    /// The user has stored no tokens for the service (401).
    #[error("No authentication was stored for {0}.")]
    NoTokens(Service),
    /// No OAuth client is configured to refresh tokens with (500).
    #[error(
        "Fatal error in performing authentication: no OAuth client is configured for {0} (KAIDEN_KAI_{0}_CLIENT_ID, KAIDEN_KAI_{0}_CLIENT_SECRET)."
    )]
    NoOAuthClient(Service),
    /// The refresh token was refused (400).
    #[error("Your authentication with {0} has expired. Please unlink and relink the integration.")]
    Expired(Service),
    /// Refreshing failed otherwise (500).
    #[error("An error has occured while attempting reauthentication.")]
    Reauthentication,
    /// The service refused the tokens again after a refresh (500).
    #[error(
        "Attempted to reauthenticate with {service} more than 1 times (the service answered {status} again). Giving up."
    )]
    ReauthenticationLoop {
        /// The service.
        service: Service,
        /// Its last status.
        status: u16,
    },
    /// The service could not be reached (500).
    #[error("Received invalid response from their API. Are they down? ({0})")]
    Unreachable(String),
    /// The service answered something that is not its API's (500).
    #[error("{base} returned invalid data: {problem}")]
    InvalidData {
        /// The service's base URL.
        base: String,
        /// What was wrong.
        problem: String,
    },
    /// The play history never stopped paging (508).
    #[error(
        "An infinite loop appears to have occured while reading {service} ({pages} pages). Stopped."
    )]
    TooManyPages {
        /// The service.
        service: Service,
        /// Pages read.
        pages: u32,
    },
    /// The user's token store failed (500).
    #[error("{0}")]
    Store(String),
}

impl kaiden_core::error::FormatError for KaiError {
    fn kind(&self) -> ImportErrorKind {
        match self {
            KaiError::NoTokens(_) => ImportErrorKind::Unauthorised,
            KaiError::Expired(_) => ImportErrorKind::InvalidInput,
            KaiError::TooManyPages { .. } => ImportErrorKind::TooManyPages,
            KaiError::NotConfigured(_) | KaiError::NoOAuthClient(_) | KaiError::Store(_) => {
                ImportErrorKind::Internal
            }
            _ => ImportErrorKind::Upstream,
        }
    }
}

/// The service answered something that is not its API's.
fn invalid_data(base: &str, problem: impl Into<String>) -> ImportError {
    KaiError::InvalidData {
        base: base.to_owned(),
        problem: problem.into(),
    }
    .into()
}

/// `scheme://authority` of a URL, lowercased; `None` when it has none.
pub(crate) fn origin(url: &str) -> Option<String> {
    let uri: ureq::http::Uri = url.parse().ok()?;
    Some(format!(
        "{}://{}",
        uri.scheme_str()?.to_ascii_lowercase(),
        uri.authority()?.as_str().to_ascii_lowercase()
    ))
}

/// What a response was.
enum Reply {
    Ok(u16, String),
    /// 401 or 403.
    Unauthorised(u16),
}

/// One user's session at one KAI service.
pub(crate) struct Session {
    pub(crate) service: Service,
    config: ServiceConfig,
    agent: ureq::Agent,
    retries: u32,
    user_agent: String,
    store: Arc<dyn IntegrationStore>,
    user: UserId,
    tokens: KaiTokens,
    /// Refreshes left for this traversal (Tachi: one).
    reauths_left: u32,
}

impl Session {
    pub(crate) fn new(
        kai: &KaiConfig,
        service: Service,
        store: Arc<dyn IntegrationStore>,
        user: UserId,
    ) -> Result<Self, ImportError> {
        let config = kai
            .service(service)
            .cloned()
            .ok_or(KaiError::NotConfigured(service))?;
        let tokens = store
            .kai_tokens(user, service.as_str())
            .map_err(|e| ImportError::from(KaiError::Store(e.to_string())).caused_by(e))?
            .ok_or(KaiError::NoTokens(service))?;
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(kai.timeout))
            .build()
            .into();
        Ok(Session {
            service,
            config,
            agent,
            retries: kai.retries,
            user_agent: kai.user_agent.clone(),
            store,
            user,
            tokens,
            reauths_left: 1,
        })
    }

    pub(crate) fn base(&self) -> &str {
        &self.config.base_url
    }

    /// GETs `url` with the access token, retrying transport failures.
    fn get(&self, url: &str) -> Result<Reply, ImportError> {
        let mut attempt = 0;
        loop {
            let result = self
                .agent
                .get(url)
                .header(
                    "Authorization",
                    format!("Bearer {}", self.tokens.access_token),
                )
                .header("User-Agent", &self.user_agent)
                .header("Content-Type", "application/json")
                .call();
            match result {
                Ok(mut r) => {
                    let status = r.status().as_u16();
                    if status == 401 || status == 403 {
                        return Ok(Reply::Unauthorised(status));
                    }
                    let body = r
                        .body_mut()
                        .with_config()
                        .limit(64 * 1024 * 1024)
                        .read_to_string()
                        .map_err(|e| invalid_data(self.base(), e.to_string()).in_file(url))?;
                    return Ok(Reply::Ok(status, body));
                }
                Err(e) if attempt < self.retries => {
                    attempt += 1;
                    let _ = e;
                    std::thread::sleep(Duration::from_millis(250 << attempt.min(6)));
                }
                Err(e) => {
                    return Err(
                        ImportError::from(KaiError::Unreachable(e.to_string())).in_file(url)
                    );
                }
            }
        }
    }

    /// GETs `url` as JSON, refreshing the token once (per session) on 401/403.
    pub(crate) fn get_json(&mut self, url: &str) -> Result<(u16, Value), ImportError> {
        loop {
            match self.get(url)? {
                Reply::Ok(status, body) => {
                    let value: Value = serde_json::from_str(&body).map_err(|e| {
                        invalid_data(self.base(), format!("the body is not JSON ({e})."))
                            .in_file(url)
                    })?;
                    return Ok((status, value));
                }
                Reply::Unauthorised(status) => {
                    if self.reauths_left == 0 {
                        return Err(ImportError::from(KaiError::ReauthenticationLoop {
                            service: self.service,
                            status,
                        })
                        .in_file(url));
                    }
                    self.reauths_left -= 1;
                    self.refresh()?;
                }
            }
        }
    }

    /// Trades the refresh token for new tokens and stores them at once (they
    /// rotate: the old refresh token is spent even if this import fails).
    pub(crate) fn refresh(&mut self) -> Result<(), ImportError> {
        let (Some(id), Some(secret)) = (&self.config.client_id, &self.config.client_secret) else {
            return Err(KaiError::NoOAuthClient(self.service).into());
        };
        let url = format!("{}/oauth/token", self.base());
        let failed = || ImportError::from(KaiError::Reauthentication);
        let mut r = self
            .agent
            .post(&url)
            .header("User-Agent", &self.user_agent)
            .send_form([
                ("refresh_token", self.tokens.refresh_token.as_str()),
                ("grant_type", "refresh_token"),
                ("client_secret", secret.as_str()),
                ("client_id", id.as_str()),
            ])
            .map_err(|_| failed())?;
        match r.status().as_u16() {
            200 => {}
            400 => {
                return Err(KaiError::Expired(self.service).into());
            }
            _ => return Err(failed()),
        }
        let body: Value = r
            .body_mut()
            .read_to_string()
            .ok()
            .and_then(|b| serde_json::from_str(&b).ok())
            .ok_or_else(failed)?;
        let (Some(access), Some(refresh)) = (
            body.get("access_token").and_then(Value::as_str),
            body.get("refresh_token").and_then(Value::as_str),
        ) else {
            return Err(failed());
        };
        self.tokens = KaiTokens {
            access_token: access.to_owned(),
            refresh_token: refresh.to_owned(),
        };
        self.store
            .put_kai_tokens(self.user, self.service.as_str(), &self.tokens)
            .map_err(|e| ImportError::from(KaiError::Store(e.to_string())).caused_by(e))
    }
}

/// Follows a play history's `_links._next` page by page, yielding `_items`.
pub(crate) struct Pager {
    pub(crate) session: Session,
    next: Option<String>,
    items: VecDeque<Value>,
    pages: u32,
    max_pages: u32,
}

impl Pager {
    pub(crate) fn new(session: Session, path: &str, max_pages: u32) -> Self {
        let first = format!("{}{path}", session.base());
        Pager {
            session,
            next: Some(first),
            items: VecDeque::new(),
            pages: 0,
            max_pages,
        }
    }

    /// The next item; `Ok(None)` after the last page.
    pub(crate) fn next_item(&mut self) -> Result<Option<Value>, ImportError> {
        loop {
            if let Some(item) = self.items.pop_front() {
                return Ok(Some(item));
            }
            let Some(url) = self.next.take() else {
                return Ok(None);
            };
            self.fetch(&url)?;
        }
    }

    fn fetch(&mut self, url: &str) -> Result<(), ImportError> {
        let base = self.session.base().to_owned();
        if origin(url).as_deref() != Some(base.as_str()) {
            return Err(invalid_data(
                &base,
                format!("a next link to another host ({url}) was refused."),
            )
            .at(Position::default().with_field("_links._next")));
        }
        let (_, page) = self.session.get_json(url)?;
        let (next, items) = read_page(page).map_err(|PageError { field, problem }| {
            invalid_data(&base, format!("{field} {problem}."))
                .in_file(url)
                .at(Position::default().with_field(field))
        })?;
        self.pages += 1;
        if self.pages > self.max_pages {
            return Err(ImportError::from(KaiError::TooManyPages {
                service: self.session.service,
                pages: self.max_pages,
            })
            .in_file(url));
        }
        self.next = next;
        self.items.extend(items);
        Ok(())
    }
}

/// What is wrong with a page: the field and the rule it breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageError {
    /// `_links`, `_links._next`, `_items` or `the page`.
    pub field: &'static str,
    /// The rule broken.
    pub problem: &'static str,
}

/// Reads one play-history page: `{_links: {_next: URL | null}, _items: [...]}`
/// gives the next URL (unchecked) and the items.
pub fn read_page(page: Value) -> Result<(Option<String>, Vec<Value>), PageError> {
    let bad = |field, problem| PageError { field, problem };
    let Value::Object(mut page) = page else {
        return Err(bad("the page", "is not an object"));
    };
    let next = match page.get("_links") {
        Some(Value::Object(links)) => match links.get("_next") {
            Some(Value::String(next)) => Some(next.clone()),
            Some(Value::Null) => None,
            _ => return Err(bad("_links._next", "is neither a URL nor null")),
        },
        _ => return Err(bad("_links", "is missing or not an object")),
    };
    match page.remove("_items") {
        Some(Value::Array(items)) => Ok((next, items)),
        _ => Err(bad("_items", "is missing or not an array")),
    }
}

#[cfg(test)]
mod tests {
    use super::origin;

    #[test]
    fn origins_compare_scheme_and_authority() {
        assert_eq!(
            origin("http://url.com/sub?page=2").as_deref(),
            Some("http://url.com")
        );
        assert_eq!(
            origin("HTTP://URL.com:8080/x").as_deref(),
            Some("http://url.com:8080")
        );
        assert_ne!(origin("http://evil.com/sub"), origin("http://url.com/sub"));
        assert_eq!(origin("/relative"), None);
        assert_eq!(origin("not a url"), None);
    }
}
